namespace TrialFlow.Reports.History;

/// <summary>
/// What a history section shows, independent of where it is shown: the history page and the PDF dossier render the same
/// blocks, so the two never say different things.
/// </summary>
public abstract record HistoryBlock;

/// <summary>A heading inside a section (level 2: a visit or study; level 3: a part of it). Level-2 headings enter the table of contents.</summary>
public sealed record HistoryHeading(string Text, int Level = 2) : HistoryBlock;

/// <summary>Label/value pairs, e.g. a study's UID, channel and time received.</summary>
public sealed record HistoryFacts(IReadOnlyList<HistoryFact> Facts) : HistoryBlock;

/// <param name="Link">A page of TrialFlow that shows the record (relative URL), or null.</param>
/// <param name="Code">Identifiers and hashes: shown in a fixed-width font.</param>
public sealed record HistoryFact(string Label, string Value, string? Link = null, bool Code = false);

/// <summary>A table; in the dossier it breaks across pages with its header repeated.</summary>
public sealed record HistoryTable(IReadOnlyList<HistoryColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, string? EmptyText = null) : HistoryBlock;

/// <param name="Width">Relative width of the column.</param>
public sealed record HistoryColumn(string Title, double Width, bool Code = false);

/// <summary>A sentence that stands out: a superseded result, a broken audit chain, a section with nothing to show.</summary>
public sealed record HistoryNote(string Text, HistoryTone Tone = HistoryTone.Info) : HistoryBlock;

public enum HistoryTone
{
    Info,
    Good,
    Warning,
    Problem,
}

/// <summary>One section of a subject's history, as built by an <see cref="IHistorySection"/>.</summary>
/// <param name="Key">Stable anchor id ("qc", "workflow").</param>
public sealed record HistorySection(string Key, string Title, IReadOnlyList<HistoryBlock> Blocks);
