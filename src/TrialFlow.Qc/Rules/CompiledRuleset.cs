using NRules;
using NRules.Extensibility;
using TrialFlow.Qc.Domain;

namespace TrialFlow.Qc.Rules;

/// <summary>A ruleset compiled into NRules, ready to open one session per study. Immutable and shareable.</summary>
public sealed class CompiledRuleset
{
    internal CompiledRuleset(string name, string sha256, IReadOnlyList<CompiledRule> rules, ISessionFactory factory, bool usesInstances)
    {
        Name = name;
        Sha256 = sha256;
        Rules = rules;
        Factory = factory;
        UsesInstances = usesInstances;
    }

    public string Name { get; }

    /// <summary>SHA-256 of the YAML the ruleset was compiled from.</summary>
    public string Sha256 { get; }

    public IReadOnlyList<CompiledRule> Rules { get; }

    internal ISessionFactory Factory { get; }

    /// <summary>Whether any rule matches Instance facts; if none does, sessions are spared one fact per image.</summary>
    public bool UsesInstances { get; }
}

/// <summary>What a rule reports when it fires.</summary>
public sealed class CompiledRule
{
    internal CompiledRule(string id, string description, QcSeverity severity, int line)
    {
        Id = id;
        Description = description;
        Severity = severity;
        Line = line;
    }

    public string Id { get; }

    public string Description { get; }

    public QcSeverity Severity { get; }

    public int Line { get; }

    internal MessageTemplate Message { get; set; } = null!;

    /// <summary>Position of the rule in its file: findings are listed in this order.</summary>
    internal int Order { get; init; }

    /// <summary>Position in the match of the fact that names the series the finding is about, or -1.</summary>
    internal int SeriesFact { get; set; } = -1;
}

/// <summary>One fired rule.</summary>
public sealed record Finding(string RuleId, QcSeverity Severity, string Message, string? SeriesInstanceUid)
{
    internal CompiledRule? Rule { get; init; }
}

/// <summary>
/// Collects the findings of one session. Injected into rule actions as an NRules dependency, so findings never become
/// facts (which would cost memory and re-evaluation) and rules stay pure: I/O happens after the session fires.
/// </summary>
public sealed class FindingSink
{
    private readonly List<Finding> _findings = [];

    public IReadOnlyList<Finding> Findings => _findings;

    public void Report(CompiledRule rule, object[] facts)
    {
        string? series = rule.SeriesFact < 0 ? null : facts[rule.SeriesFact] switch
        {
            Facts.SeriesFact s => s.Uid,
            Facts.MissingAttributeFact m => m.SeriesUid,
            Facts.InstanceFact i => i.SeriesUid,
            _ => null,
        };
        _findings.Add(new Finding(rule.Id, rule.Severity, rule.Message.Render(facts), series) { Rule = rule });
    }

    internal sealed class Resolver(FindingSink sink) : IDependencyResolver
    {
        public object Resolve(IResolutionContext context, Type serviceType) =>
            serviceType == typeof(FindingSink) ? sink : throw new InvalidOperationException($"QC rules depend on nothing but the finding sink, not {serviceType}.");
    }
}
