using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TrialFlow.Qc.Rules;

/// <summary>
/// Reads a ruleset file into <see cref="RulesetSpec"/>, keeping line numbers. Shape errors (a missing id, a
/// condition that is not a mapping) are collected, not thrown one by one, so an author sees them all at once.
/// </summary>
internal static class RulesetParser
{
    public static RulesetSpec? Parse(string file, string yaml, List<QcFileError> errors)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                errors.Add(new(file, 1, null, "the file must be a mapping with 'ruleset' and 'rules'"));
                return null;
            }
            root = mapping;
        }
        catch (YamlException e)
        {
            errors.Add(new(file, (int)e.Start.Line, null, $"not valid YAML: {e.InnerException?.Message ?? e.Message}"));
            return null;
        }

        var y = new YamlReader(file, errors);
        y.OnlyKeys(root, null, "ruleset", "description", "rules");
        var name = y.Text(root, "ruleset", null) ?? "";
        var rules = new List<RuleSpec>();
        if (y.Child(root, "rules") is YamlSequenceNode sequence)
        {
            foreach (var node in sequence)
                if (node is YamlMappingNode rule)
                    rules.Add(ParseRule(y, rule));
                else
                    errors.Add(new(file, Line(node), null, "each rule must be a mapping with id, severity, match and message"));
        }
        else
        {
            errors.Add(new(file, Line(root), null, "'rules' must be a list of rules"));
        }
        return new RulesetSpec(name, y.Text(root, "description", null, required: false), rules);
    }

    private static RuleSpec ParseRule(YamlReader y, YamlMappingNode rule)
    {
        var id = y.Text(rule, "id", null) ?? "";
        y.OnlyKeys(rule, id, "id", "description", "severity", "match", "message");
        var patterns = new List<PatternSpec>();
        if (y.Child(rule, "match") is YamlSequenceNode match)
        {
            foreach (var node in match)
                if (node is YamlMappingNode pattern)
                    patterns.Add(ParsePattern(y, pattern, id));
                else
                    y.Error(node, id, "each 'match' entry must be a mapping with 'fact' and 'as'");
        }
        else
        {
            y.Error(rule, id, "'match' must list the facts the rule matches");
        }
        return new RuleSpec(id, y.Text(rule, "description", id) ?? "", y.Text(rule, "severity", id) ?? "", patterns, y.Text(rule, "message", id) ?? "",
            Line(rule), Line(y.Child(rule, "severity") ?? rule), Line(y.Child(rule, "message") ?? rule));
    }

    private static PatternSpec ParsePattern(YamlReader y, YamlMappingNode pattern, string ruleId)
    {
        y.OnlyKeys(pattern, ruleId, "fact", "as", "absent", "where");
        var absent = y.Text(pattern, "absent", ruleId, required: false) is { } flag
            && (flag == "true" || (flag == "false" ? false : y.Fail(pattern, ruleId, $"'absent' must be true or false, got '{flag}'")));
        var conditions = new List<ConditionSpec>();
        switch (y.Child(pattern, "where"))
        {
            case null:
                break;
            case YamlSequenceNode where:
                foreach (var node in where)
                    if (node is YamlMappingNode condition)
                        conditions.Add(ParseCondition(y, condition, ruleId));
                    else
                        y.Error(node, ruleId, "each condition must be a mapping: { field, op, value } or { expr }");
                break;
            case var other:
                y.Error(other, ruleId, "'where' must be a list of conditions");
                break;
        }
        return new PatternSpec(y.Text(pattern, "fact", ruleId) ?? "", y.Text(pattern, "as", ruleId) ?? "", absent, conditions, Line(pattern));
    }

    private static ConditionSpec ParseCondition(YamlReader y, YamlMappingNode condition, string ruleId)
    {
        y.OnlyKeys(condition, ruleId, "field", "op", "value", "min", "max", "expr");
        var expr = y.Text(condition, "expr", ruleId, required: false);
        return new ConditionSpec(
            y.Text(condition, "field", ruleId, required: expr is null),
            y.Text(condition, "op", ruleId, required: expr is null),
            Value(y, y.Child(condition, "value"), ruleId), Value(y, y.Child(condition, "min"), ruleId), Value(y, y.Child(condition, "max"), ruleId),
            expr, Line(condition));
    }

    private static ValueSpec? Value(YamlReader y, YamlNode? node, string ruleId) => node switch
    {
        null => null,
        YamlScalarNode s => new ValueSpec(s.Value ?? "", null, Line(s)),
        YamlSequenceNode list => new ValueSpec(null, list.Select(n => n is YamlScalarNode s ? s.Value ?? "" : y.FailText(n, ruleId, "a list value may hold only scalars")).ToList(), Line(list)),
        _ => new ValueSpec(y.FailText(node, ruleId, "a value must be a scalar or a list of scalars"), null, Line(node)),
    };

    internal static int Line(YamlNode node) => (int)node.Start.Line;
}

/// <summary>Small typed accessors over YAML mappings that record errors with the node's line.</summary>
internal sealed class YamlReader(string file, List<QcFileError> errors)
{
    public YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public string? Text(YamlMappingNode node, string key, string? ruleId, bool required = true)
    {
        switch (Child(node, key))
        {
            case YamlScalarNode { Value: { Length: > 0 } value }:
                return value;
            case null or YamlScalarNode:
                if (required)
                    Error(node, ruleId, $"'{key}' is required");
                return null;
            case var other:
                Error(other, ruleId, $"'{key}' must be a single value");
                return null;
        }
    }

    public void OnlyKeys(YamlMappingNode node, string? ruleId, params string[] allowed)
    {
        foreach (var key in node.Children.Keys)
            if (key is not YamlScalarNode { Value: { } name } || !allowed.Contains(name, StringComparer.Ordinal))
                Error(key, ruleId, $"unknown key '{(key as YamlScalarNode)?.Value}' (expected one of: {string.Join(", ", allowed)})");
    }

    public void Error(YamlNode node, string? ruleId, string reason) => errors.Add(new(file, RulesetParser.Line(node), ruleId, reason));

    public bool Fail(YamlNode node, string? ruleId, string reason)
    {
        Error(node, ruleId, reason);
        return false;
    }

    public string FailText(YamlNode node, string? ruleId, string reason)
    {
        Error(node, ruleId, reason);
        return "";
    }
}
