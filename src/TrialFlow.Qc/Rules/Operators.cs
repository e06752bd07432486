using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.RegularExpressions;
using TrialFlow.Qc.Facts;

namespace TrialFlow.Qc.Rules;

/// <summary>What an operator needs on its right-hand side.</summary>
public enum OperandShape
{
    /// <summary>Nothing: <c>missing</c>, <c>present</c>, <c>empty</c>, <c>notEmpty</c>.</summary>
    None,

    /// <summary>One <c>value</c> of the field's kind (or a reference to a field of that kind).</summary>
    Single,

    /// <summary><c>value</c> is a list of texts, or a reference to a text-list field.</summary>
    List,

    /// <summary><c>min</c> and/or <c>max</c>; an absent bound leaves that side open.</summary>
    Range,

    /// <summary><c>value</c> is a regular expression (or a reference to a text field holding one).</summary>
    Pattern,
}

/// <summary>One operator of the closed list: its name, the field kinds it applies to, its operand and the function that decides it.</summary>
public sealed record QcOperator(string Name, FieldKind Kind, OperandShape Operand, string Method, string Meaning);

/// <summary>
/// The closed list of operators a rule condition may use. Each is a small pure function below, called from the
/// compiled rule; a value that is absent makes every comparison false, except <c>missing</c> and <c>empty</c>.
/// Text comparisons ignore case (DICOM code strings are upper case, descriptions are not); regular expressions
/// do not unless they say <c>(?i)</c>.
/// </summary>
public static class Operators
{
    public static IReadOnlyList<QcOperator> All { get; } =
    [
        new("eq", FieldKind.Number, OperandShape.Single, nameof(NumberEq), "equal to"),
        new("ne", FieldKind.Number, OperandShape.Single, nameof(NumberNe), "not equal to"),
        new("lt", FieldKind.Number, OperandShape.Single, nameof(Lt), "less than"),
        new("le", FieldKind.Number, OperandShape.Single, nameof(Le), "at most"),
        new("gt", FieldKind.Number, OperandShape.Single, nameof(Gt), "greater than"),
        new("ge", FieldKind.Number, OperandShape.Single, nameof(Ge), "at least"),
        new("between", FieldKind.Number, OperandShape.Range, nameof(Between), "within min..max (inclusive)"),
        new("outside", FieldKind.Number, OperandShape.Range, nameof(Outside), "below min or above max"),
        new("missing", FieldKind.Number, OperandShape.None, nameof(NumberMissing), "absent"),
        new("present", FieldKind.Number, OperandShape.None, nameof(NumberPresent), "present"),

        new("eq", FieldKind.Text, OperandShape.Single, nameof(TextEq), "equal to (ignoring case)"),
        new("ne", FieldKind.Text, OperandShape.Single, nameof(TextNe), "present and not equal to (ignoring case)"),
        new("in", FieldKind.Text, OperandShape.List, nameof(In), "one of the list (ignoring case)"),
        new("notIn", FieldKind.Text, OperandShape.List, nameof(NotIn), "present and none of the list; false when the list is empty"),
        new("contains", FieldKind.Text, OperandShape.Single, nameof(TextContains), "contains the text (ignoring case)"),
        new("startsWith", FieldKind.Text, OperandShape.Single, nameof(StartsWith), "starts with the text (ignoring case)"),
        new("matches", FieldKind.Text, OperandShape.Pattern, nameof(Matches), "matches the regular expression"),
        new("notMatches", FieldKind.Text, OperandShape.Pattern, nameof(NotMatches), "present and does not match the regular expression"),
        new("missing", FieldKind.Text, OperandShape.None, nameof(TextMissing), "absent or blank"),
        new("present", FieldKind.Text, OperandShape.None, nameof(TextPresent), "present and not blank"),

        new("eq", FieldKind.Boolean, OperandShape.Single, nameof(BoolEq), "equal to"),
        new("ne", FieldKind.Boolean, OperandShape.Single, nameof(BoolNe), "not equal to"),

        new("contains", FieldKind.TextList, OperandShape.Single, nameof(ListContains), "the list holds the text (ignoring case)"),
        new("notContains", FieldKind.TextList, OperandShape.Single, nameof(ListNotContains), "the list does not hold the text"),
        new("empty", FieldKind.TextList, OperandShape.None, nameof(ListEmpty), "the list is empty"),
        new("notEmpty", FieldKind.TextList, OperandShape.None, nameof(ListNotEmpty), "the list is not empty"),
    ];

    private static readonly FrozenDictionary<(string, FieldKind), QcOperator> ByNameAndKind =
        All.ToFrozenDictionary(o => (o.Name, o.Kind));

    public static bool TryGet(string name, FieldKind kind, out QcOperator op) => ByNameAndKind.TryGetValue((name, kind), out op!);

    public static IEnumerable<string> NamesFor(FieldKind kind) => All.Where(o => o.Kind == kind).Select(o => o.Name);

    public static bool NumberEq(double? v, double? x) => v.HasValue && x.HasValue && v.Value == x.Value;

    public static bool NumberNe(double? v, double? x) => v.HasValue && x.HasValue && v.Value != x.Value;

    public static bool Lt(double? v, double? x) => v.HasValue && x.HasValue && v.Value < x.Value;

    public static bool Le(double? v, double? x) => v.HasValue && x.HasValue && v.Value <= x.Value;

    public static bool Gt(double? v, double? x) => v.HasValue && x.HasValue && v.Value > x.Value;

    public static bool Ge(double? v, double? x) => v.HasValue && x.HasValue && v.Value >= x.Value;

    public static bool Between(double? v, double? min, double? max) =>
        v.HasValue && (min is null || v.Value >= min.Value) && (max is null || v.Value <= max.Value);

    public static bool Outside(double? v, double? min, double? max) =>
        v.HasValue && ((min.HasValue && v.Value < min.Value) || (max.HasValue && v.Value > max.Value));

    public static bool NumberMissing(double? v) => !v.HasValue;

    public static bool NumberPresent(double? v) => v.HasValue;

    public static bool TextEq(string? v, string? x) => v is not null && x is not null && string.Equals(v.Trim(), x.Trim(), StringComparison.OrdinalIgnoreCase);

    public static bool TextNe(string? v, string? x) => !string.IsNullOrWhiteSpace(v) && x is not null && !TextEq(v, x);

    public static bool In(string? v, IReadOnlyList<string>? list) => v is not null && list is not null && list.Any(x => TextEq(v, x));

    public static bool NotIn(string? v, IReadOnlyList<string>? list) => !string.IsNullOrWhiteSpace(v) && list is { Count: > 0 } && !In(v, list);

    public static bool TextContains(string? v, string? x) => v is not null && x is not null && v.Contains(x, StringComparison.OrdinalIgnoreCase);

    public static bool StartsWith(string? v, string? x) => v is not null && x is not null && v.TrimStart().StartsWith(x, StringComparison.OrdinalIgnoreCase);

    public static bool Matches(string? v, string? pattern) => v is not null && pattern is not null && Regexes.Get(pattern).IsMatch(v);

    public static bool NotMatches(string? v, string? pattern) => !string.IsNullOrWhiteSpace(v) && pattern is not null && !Regexes.Get(pattern).IsMatch(v);

    public static bool TextMissing(string? v) => string.IsNullOrWhiteSpace(v);

    public static bool TextPresent(string? v) => !string.IsNullOrWhiteSpace(v);

    public static bool BoolEq(bool v, bool x) => v == x;

    public static bool BoolNe(bool v, bool x) => v != x;

    public static bool ListContains(IReadOnlyList<string>? list, string? x) => x is not null && list is not null && list.Any(v => TextEq(v, x));

    public static bool ListNotContains(IReadOnlyList<string>? list, string? x) => x is not null && !ListContains(list, x);

    public static bool ListEmpty(IReadOnlyList<string>? list) => list is null || list.Count == 0;

    public static bool ListNotEmpty(IReadOnlyList<string>? list) => list is { Count: > 0 };
}

/// <summary>
/// Compiled regular expressions shared by every session. Patterns come from rulesets and protocol files (never
/// from images), are validated when those load, and run with a timeout so no pattern can stall a session.
/// </summary>
public static class Regexes
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static Regex Get(string pattern) => Cache.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, Timeout));

    /// <summary>Null when the pattern compiles, else why not.</summary>
    public static string? Problem(string pattern)
    {
        try
        {
            Get(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"'{pattern}' is not a valid regular expression: {e.Message}";
        }
    }
}
