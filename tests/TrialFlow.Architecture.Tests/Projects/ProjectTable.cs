namespace TrialFlow.Architecture.Tests.Projects;

/// <summary>
/// The table "| project | holds | may use | state |" in docs/architecture.md, top to bottom: the order is the one-way
/// rule (a project uses only projects above it) and "may use" names its direct references by their short names.
/// </summary>
internal sealed record ProjectTable(IReadOnlyList<ProjectTable.Row> Rows)
{
    public const string Document = "docs/architecture.md";
    private const string Header = "| project | holds | may use | state |";
    private const string Nothing = "nothing of ours";

    public sealed record Row(int Number, string Project, IReadOnlyList<string> MayUse);

    public static ProjectTable Read()
    {
        var lines = File.ReadAllLines(Repository.Path("docs", "architecture.md"));
        var header = Array.FindIndex(lines, l => l.Trim() == Header);
        if (header < 0)
            throw new InvalidOperationException($"{Document} has no table headed '{Header}'");
        var rows = lines.Skip(header + 2) // the header and its |---| line
            .TakeWhile(l => l.TrimStart().StartsWith('|'))
            .Select((line, i) => Parse(i + 1, line))
            .ToList();
        return new ProjectTable(rows);
    }

    public int IndexOf(string project) => Rows.ToList().FindIndex(r => r.Project == project);

    // | `src/TrialFlow.Reports` | … | Core, Intake (read models), Qc | … |  →  TrialFlow.Reports uses TrialFlow.Core, TrialFlow.Intake, TrialFlow.Qc
    private static Row Parse(int number, string line)
    {
        var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        if (cells.Length != 4)
            throw new InvalidOperationException($"{Document}: row {number} has {cells.Length} cells, not 4: {line}");
        var project = cells[0].Trim('`').Replace("src/", "", StringComparison.Ordinal);
        var mayUse = cells[2] == Nothing
            ? []
            : cells[2].Split(',').Select(Name).Order(StringComparer.Ordinal).ToList();
        return new Row(number, project, mayUse);
    }

    private static string Name(string entry)
    {
        var note = entry.IndexOf('(', StringComparison.Ordinal); // "Deid (record format)": the note says why, the name is what counts
        var name = (note < 0 ? entry : entry[..note]).Trim().Trim('`');
        return name.StartsWith("TrialFlow.", StringComparison.Ordinal) ? name : "TrialFlow." + name;
    }
}
