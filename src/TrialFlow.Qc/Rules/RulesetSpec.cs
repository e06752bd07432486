namespace TrialFlow.Qc.Rules;

// The ruleset file as written, with the line of every part, before anything is resolved against the catalog.

public sealed record RulesetSpec(string Name, string? Description, IReadOnlyList<RuleSpec> Rules);

public sealed record RuleSpec(string Id, string Description, string Severity, IReadOnlyList<PatternSpec> Patterns, string Message, int Line, int SeverityLine, int MessageLine);

/// <summary>One fact to match (or, when <see cref="Absent"/>, to find no match for) under an alias.</summary>
public sealed record PatternSpec(string Fact, string Alias, bool Absent, IReadOnlyList<ConditionSpec> Conditions, int Line);

/// <summary>
/// A condition: <c>field op value</c> (or <c>min</c>/<c>max</c> for ranges), or a sandboxed JavaScript
/// <c>expr</c>. Values are literals or, when they read <c>alias.Field</c> for a declared alias, references.
/// </summary>
public sealed record ConditionSpec(string? Field, string? Op, ValueSpec? Value, ValueSpec? Min, ValueSpec? Max, string? Expr, int Line);

/// <summary>A scalar (kept as text: YAML values are strings until the field's type is known) or a list of scalars.</summary>
public sealed record ValueSpec(string? Scalar, IReadOnlyList<string>? List, int Line)
{
    public bool IsList => List is not null;
}
