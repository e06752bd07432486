using System.Linq.Expressions;
using System.Text.RegularExpressions;
using NRules;
using NRules.RuleModel;
using NRules.RuleModel.Builders;
using TrialFlow.Qc.Domain;
using TrialFlow.Qc.Facts;

namespace TrialFlow.Qc.Rules;

/// <summary>
/// Compiles a ruleset file into NRules rules (RuleBuilder and expression trees, no C# from the file). Every problem
/// is collected with file, line and rule id and thrown together as a <see cref="RulesetException"/>; a ruleset
/// that does not compile is never half-used.
/// </summary>
public static partial class RulesetCompiler
{
    private static readonly HashSet<string> Reserved = ["ctx", "sink"];

    public static CompiledRuleset Compile(string file, string yaml)
    {
        var errors = new List<QcFileError>();
        var spec = RulesetParser.Parse(file, yaml, errors);
        if (spec is null)
            throw new RulesetException(errors);
        if (!RulesetName().IsMatch(spec.Name))
            errors.Add(new(file, 1, null, $"'ruleset' must be a name of letters, digits, '-' or '_' (at most 64), got '{spec.Name}'"));

        var definitions = new List<IRuleDefinition>();
        var rules = new List<CompiledRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in spec.Rules)
        {
            void Error(int line, string reason) => errors.Add(new(file, line, rule.Id.Length == 0 ? null : rule.Id, reason));
            if (rule.Id.Length > 0 && !RuleId().IsMatch(rule.Id))
                Error(rule.Line, $"rule id '{rule.Id}' must be letters, digits, '.', '-' or '_' (at most 64)");
            if (rule.Id.Length > 0 && !ids.Add(rule.Id))
                Error(rule.Line, $"rule id '{rule.Id}' is used twice");
            if (CompileRule(rule, rules.Count, Error) is { } compiled)
            {
                definitions.Add(compiled.Definition);
                rules.Add(compiled.Rule);
            }
        }
        if (spec.Rules.Count == 0)
            errors.Add(new(file, 1, null, "the ruleset has no rules"));
        if (errors.Count > 0)
            throw new RulesetException(errors);

        var factory = new RuleCompiler { ExpressionCompiler = new RuleExpressionCompiler() }.Compile(definitions);
        var usesInstances = spec.Rules.Any(r => r.Patterns.Any(p => p.Fact == "Instance"));
        return new CompiledRuleset(spec.Name, QcRulesetVersion.HashOf(yaml), rules, factory, usesInstances);
    }

    private static (IRuleDefinition Definition, CompiledRule Rule)? CompileRule(RuleSpec rule, int order, Action<int, string> error)
    {
        var failed = false;
        void Error(int line, string reason)
        {
            failed = true;
            error(line, reason);
        }

        if (!Enum.TryParse<QcSeverity>(rule.Severity, ignoreCase: true, out var severity) || !Enum.IsDefined(severity) || rule.Severity.Any(char.IsDigit))
            Error(rule.SeverityLine, $"severity must be info, minor, major or critical, got '{rule.Severity}'");
        if (rule.Patterns.Count == 0)
            Error(rule.Line, "'match' names no fact");

        var builder = new RuleBuilder();
        builder.Name(rule.Id);
        builder.Description(rule.Description);
        var lhs = builder.LeftHandSide();
        var visible = new Dictionary<string, Declared>(StringComparer.Ordinal);
        var matched = new Dictionary<string, (int Index, FactType Type)>(StringComparer.Ordinal);
        var parameters = new List<ParameterExpression>();
        var seriesFact = -1;
        var declarations = 0;
        foreach (var pattern in rule.Patterns)
        {
            if (!FactCatalog.TryGet(pattern.Fact, out var type))
            {
                Error(pattern.Line, $"unknown fact '{pattern.Fact}' (facts: {string.Join(", ", FactCatalog.Types.Select(t => t.Name))})");
                continue;
            }
            if (!Alias().IsMatch(pattern.Alias) || Reserved.Contains(pattern.Alias))
            {
                Error(pattern.Line, $"alias '{pattern.Alias}' must start with a lower-case letter, use letters, digits or '_', and not be ctx or sink");
                continue;
            }
            if (visible.ContainsKey(pattern.Alias) || matched.ContainsKey(pattern.Alias))
            {
                Error(pattern.Line, $"alias '{pattern.Alias}' is declared twice");
                continue;
            }

            var declared = new Declared(type, Expression.Parameter(type.ClrType, pattern.Alias), declarations++);
            var scope = new Dictionary<string, Declared>(visible) { [pattern.Alias] = declared };
            var patternBuilder = pattern.Absent ? lhs.Not().Pattern(type.ClrType, pattern.Alias) : lhs.Pattern(type.ClrType, pattern.Alias);
            // Conditions reading the same aliases become one lambda: each lambda is a delegate to compile (the bulk of
            // compile time) and a node to pass at run time; a pattern's own conditions stay apart from its joins.
            var compiledConditions = pattern.Conditions.Select(c => ConditionCompiler.Compile(c, rule.Id, declared, scope, Error)).OfType<(Expression Body, IReadOnlyList<ParameterExpression> Parameters)>().ToList();
            foreach (var group in compiledConditions.GroupBy(c => string.Join(',', c.Parameters.Select(p => p.Name))))
                patternBuilder.Condition(Expression.Lambda(group.Select(c => c.Body).Aggregate(Expression.AndAlso), group.First().Parameters));

            // An absent fact binds nothing: later patterns and the message cannot name it.
            if (pattern.Absent)
                continue;
            visible[pattern.Alias] = declared;
            matched[pattern.Alias] = (parameters.Count, type);
            if (seriesFact < 0 && type.ClrType is var t && (t == typeof(SeriesFact) || t == typeof(MissingAttributeFact) || t == typeof(InstanceFact)))
                seriesFact = parameters.Count;
            parameters.Add(declared.Parameter);
        }
        if (rule.Patterns.Count > 0 && parameters.Count == 0 && !failed)
            Error(rule.Line, "every fact in 'match' is absent: at least one must be present for the rule to say what it found");

        var compiled = new CompiledRule(rule.Id, rule.Description, severity, rule.Line) { SeriesFact = seriesFact, Order = order };
        compiled.Message = MessageTemplate.Parse(rule.Message, matched, reason => Error(rule.MessageLine, reason));
        if (failed)
            return null;

        // The action hands the matched facts to the session's sink; the dependency is resolved per session.
        var sink = builder.Dependencies().Dependency(typeof(FindingSink), "sink");
        var ctx = Expression.Parameter(typeof(IContext), "ctx");
        var sinkParameter = Expression.Parameter(typeof(FindingSink), sink.Name);
        var report = Expression.Call(sinkParameter, typeof(FindingSink).GetMethod(nameof(FindingSink.Report))!,
            Expression.Constant(compiled), Expression.NewArrayInit(typeof(object), parameters.Select(p => Expression.Convert(p, typeof(object)))));
        builder.RightHandSide().Action(Expression.Lambda(report, [ctx, sinkParameter, .. parameters]));
        return (builder.Build(), compiled);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex RulesetName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex RuleId();

    [GeneratedRegex(@"^[a-z][A-Za-z0-9_]*$")]
    private static partial Regex Alias();
}
