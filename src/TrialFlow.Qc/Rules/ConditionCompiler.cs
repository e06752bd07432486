using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;
using TrialFlow.Qc.Facts;

namespace TrialFlow.Qc.Rules;

/// <summary>An alias a condition may name: its fact type and the lambda parameter standing for it.</summary>
internal sealed record Declared(FactType Type, ParameterExpression Parameter, int Order);

/// <summary>
/// Turns one condition into the lambda NRules attaches to a pattern. The lambda's parameters carry the names of the
/// aliases it reads (NRules matches them to the pattern declarations by name); a condition naming an earlier alias
/// becomes a join. Field access is by the catalog's PropertyInfo, values are converted with the invariant culture
/// into the field's type, and the operator is one of <see cref="Operators"/>: nothing from the file becomes code.
/// </summary>
internal static partial class ConditionCompiler
{
    /// <summary>The condition's body and the aliases it reads (always including the pattern's own), or null after reporting why not.</summary>
    public static (Expression Body, IReadOnlyList<ParameterExpression> Parameters)? Compile(ConditionSpec condition, string ruleId, Declared current,
        IReadOnlyDictionary<string, Declared> visible, Action<int, string> error)
    {
        var used = new SortedDictionary<int, ParameterExpression> { [current.Order] = current.Parameter };
        var body = condition.Expr is { } expr
            ? Script(expr, condition.Line, ruleId, visible, used, error)
            : Operator(condition, visible, used, error);
        return body is null ? null : (body, used.Values.ToList());
    }

    private static Expression? Operator(ConditionSpec c, IReadOnlyDictionary<string, Declared> visible, SortedDictionary<int, ParameterExpression> used, Action<int, string> error)
    {
        if (c.Field is null || c.Op is null)
            return null; // the parser reported the missing key
        var left = FieldRef(c.Field, c.Line, visible, used, error, requireRef: true);
        if (left is null)
            return null;
        if (!Operators.TryGet(c.Op, left.Value.Field.Kind, out var op))
        {
            var known = Operators.All.Any(o => o.Name == c.Op);
            error(c.Line, known
                ? $"operator '{c.Op}' does not apply to {Describe(left.Value.Field.Kind)} field {c.Field} (use one of: {string.Join(", ", Operators.NamesFor(left.Value.Field.Kind))})"
                : $"unknown operator '{c.Op}' (operators for {c.Field}: {string.Join(", ", Operators.NamesFor(left.Value.Field.Kind))})");
            return null;
        }

        var method = typeof(Operators).GetMethod(op.Method, BindingFlags.Public | BindingFlags.Static)!;
        var types = method.GetParameters().Select(p => p.ParameterType).ToArray();
        var arguments = new List<Expression> { Expression.Convert(left.Value.Access, types[0]) };
        switch (op.Operand)
        {
            case OperandShape.None:
                if (c.Value is not null || c.Min is not null || c.Max is not null)
                    error(c.Line, $"operator '{op.Name}' takes no value, min or max");
                break;
            case OperandShape.Range:
                if (c.Value is not null)
                    error(c.Line, $"operator '{op.Name}' takes min and/or max, not value");
                if (c.Min is null && c.Max is null)
                {
                    error(c.Line, $"operator '{op.Name}' needs min, max or both");
                    return null;
                }
                arguments.Add(Operand(c.Min, types[1], FieldKind.Number, visible, used, error, $"{op.Name} min"));
                arguments.Add(Operand(c.Max, types[2], FieldKind.Number, visible, used, error, $"{op.Name} max"));
                break;
            default:
                if (c.Value is null || c.Min is not null || c.Max is not null)
                {
                    error(c.Line, $"operator '{op.Name}' needs a value (and no min or max)");
                    return null;
                }
                var kind = op.Operand == OperandShape.List ? FieldKind.TextList : op.Kind == FieldKind.TextList ? FieldKind.Text : op.Kind;
                var operand = Operand(c.Value, types[1], kind, visible, used, error, op.Name);
                if (op.Operand == OperandShape.Pattern && operand is ConstantExpression { Value: string pattern } && Regexes.Problem(pattern) is { } problem)
                    error(c.Value.Line, problem);
                arguments.Add(operand);
                break;
        }
        return Expression.Call(method, arguments);
    }

    /// <summary>A literal of the wanted kind, or a reference to a field of that kind; an absent bound is a null constant.</summary>
    private static Expression Operand(ValueSpec? value, Type type, FieldKind kind, IReadOnlyDictionary<string, Declared> visible,
        SortedDictionary<int, ParameterExpression> used, Action<int, string> error, string what)
    {
        if (value is null)
            return Expression.Constant(null, type);
        if (value.Scalar is { } text && Reference().IsMatch(text))
        {
            var reference = FieldRef(text, value.Line, visible, used, error, requireRef: true);
            if (reference is null)
                return Expression.Default(type);
            if (reference.Value.Field.Kind != kind)
            {
                error(value.Line, $"{what}: {text} is a {Describe(reference.Value.Field.Kind)} field, a {Describe(kind)} is needed");
                return Expression.Default(type);
            }
            return Expression.Convert(reference.Value.Access, type);
        }
        return Literal(value, type, kind, error, what);
    }

    private static Expression Literal(ValueSpec value, Type type, FieldKind kind, Action<int, string> error, string what)
    {
        switch (kind)
        {
            case FieldKind.TextList:
                if (value.List is null)
                    error(value.Line, $"{what}: a list is needed, e.g. [CT, MR]");
                return Expression.Constant((IReadOnlyList<string>)(value.List ?? []).ToArray(), type);
            case FieldKind.Number when value.Scalar is { } s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                return Expression.Constant(number, type);
            case FieldKind.Boolean when value.Scalar is "true" or "false":
                return Expression.Constant(value.Scalar == "true", type);
            case FieldKind.Text when value.Scalar is { } s:
                return Expression.Constant(s, type);
            default:
                error(value.Line, $"{what}: '{value.Scalar ?? "[" + string.Join(", ", value.List!) + "]"}' is not a {Describe(kind)}");
                return Expression.Default(type);
        }
    }

    private static (Expression Access, FactField Field)? FieldRef(string text, int line, IReadOnlyDictionary<string, Declared> visible,
        SortedDictionary<int, ParameterExpression> used, Action<int, string> error, bool requireRef)
    {
        var m = Reference().Match(text);
        if (!m.Success)
        {
            if (requireRef) error(line, $"'{text}' is not a field reference (write alias.Field, e.g. s.SliceThickness)");
            return null;
        }
        var (alias, name) = (m.Groups[1].Value, m.Groups[2].Value);
        if (!visible.TryGetValue(alias, out var declared))
        {
            error(line, $"undefined alias '{alias}' in {text} (aliases usable here: {string.Join(", ", visible.Keys)})");
            return null;
        }
        if (!declared.Type.Fields.TryGetValue(name, out var field))
        {
            error(line, $"unknown field '{name}' of {declared.Type.Name} in {text} (fields: {string.Join(", ", declared.Type.Fields.Keys)})");
            return null;
        }
        used[declared.Order] = declared.Parameter;
        return (Expression.Property(declared.Parameter, field.Property), field);
    }

    private static Expression? Script(string expr, int line, string ruleId, IReadOnlyDictionary<string, Declared> visible,
        SortedDictionary<int, ParameterExpression> used, Action<int, string> error)
    {
        var references = new List<string>();
        var values = new List<Expression>();
        var failed = false;
        var rewritten = ScriptReference().Replace(expr, m =>
        {
            if (!visible.ContainsKey(m.Groups[1].Value))
            {
                error(line, $"expr: undefined alias '{m.Groups[1].Value}' in {m.Value} (aliases usable here: {string.Join(", ", visible.Keys)})");
                failed = true;
                return m.Value;
            }
            var index = references.IndexOf(m.Value);
            if (index < 0)
            {
                var reference = FieldRef(m.Value, line, visible, used, error, requireRef: true);
                if (reference is null)
                {
                    failed = true;
                    return m.Value;
                }
                references.Add(m.Value);
                values.Add(Expression.Convert(reference.Value.Access, typeof(object)));
                index = references.Count - 1;
            }
            return $"__a{index}";
        });
        if (failed)
            return null;
        if (JsCondition.Problem(rewritten) is { } problem)
        {
            error(line, $"expr: {problem}");
            return null;
        }
        var condition = new JsCondition(ruleId, expr, rewritten, references.Count);
        return Expression.Call(Expression.Constant(condition), typeof(JsCondition).GetMethod(nameof(JsCondition.Evaluate))!,
            Expression.NewArrayInit(typeof(object), values));
    }

    private static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.Number => "number",
        FieldKind.Text => "text",
        FieldKind.Boolean => "true/false",
        _ => "text list",
    };

    // A value written alias.Field (lower-case alias, capitalised field) is always a reference, so a mistyped alias is
    // reported instead of silently compared as text.
    [GeneratedRegex(@"^([a-z][A-Za-z0-9_]*)\.([A-Z][A-Za-z0-9]*)$")]
    private static partial Regex Reference();

    [GeneratedRegex(@"(?<![\w.$])([a-z][A-Za-z0-9_]*)\.([A-Z][A-Za-z0-9]*)\b")]
    private static partial Regex ScriptReference();
}
