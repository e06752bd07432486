namespace TrialFlow.Qc;

/// <summary>The base of every refusal of the QC module.</summary>
public abstract class QcException(string message) : Exception(message);

/// <summary>One problem in a ruleset or protocol file, located well enough for its author to fix it.</summary>
/// <param name="File">The file (or ruleset name and version) the problem is in.</param>
/// <param name="Line">1-based line, 0 when the problem concerns the whole file.</param>
/// <param name="RuleId">The rule (or requirement) the problem is in, when known.</param>
/// <param name="Reason">What is wrong, in words a QC lead acts on.</param>
public sealed record QcFileError(string File, int Line, string? RuleId, string Reason)
{
    public override string ToString() => $"{File}:{Line}{(RuleId is null ? "" : $" rule {RuleId}")}: {Reason}";
}

/// <summary>A ruleset did not compile. The active version stays active; nothing was published.</summary>
public sealed class RulesetException(IReadOnlyList<QcFileError> errors)
    : QcException($"The ruleset does not compile ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<QcFileError> Errors { get; } = errors;
}

/// <summary>A protocol requirements file did not load.</summary>
public sealed class ProtocolException(IReadOnlyList<QcFileError> errors)
    : QcException($"The protocol requirements do not load:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<QcFileError> Errors { get; } = errors;
}
