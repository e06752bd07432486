using TrialFlow.Core.Qc;
using TrialFlow.Qc.Facts;
using TrialFlow.Qc.Rules;

namespace TrialFlow.Qc.Evaluation;

/// <summary>What QC found for one study.</summary>
public sealed record QcEvaluation(QcOutcome Outcome, IReadOnlyList<Finding> Findings);

/// <summary>
/// Runs a compiled ruleset over one study's facts in its own NRules session. Sessions stay per study: NRules does
/// not index equality joins, so one session over many studies would compare every series with every other.
/// </summary>
public static class QcEvaluator
{
    public static QcEvaluation Evaluate(CompiledRuleset ruleset, StudyFactSet facts, CancellationToken cancellationToken = default)
    {
        var sink = new FindingSink();
        var session = ruleset.Factory.CreateSession();
        session.DependencyResolver = new FindingSink.Resolver(sink);
        try
        {
            // Conditions run as facts are inserted, not only on Fire: a failing expression can surface from either.
            session.InsertAll(facts.All(ruleset.UsesInstances));
            session.Fire(cancellationToken);
        }
        catch (Exception e) when (Unwrap(e) is { } qc)
        {
            throw qc;
        }
        // Findings in rule order, then message: the same study gives the same list every time.
        var findings = sink.Findings.Count < 2 ? sink.Findings.ToList() : sink.Findings.OrderBy(f => f.Rule!.Order).ThenBy(f => f.Message, StringComparer.Ordinal).ToList();
        return new QcEvaluation(QcResult.OutcomeOf(findings.Select(f => f.Severity)), findings);
    }

    private static QcEvaluationException? Unwrap(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is QcEvaluationException qc)
                return qc;
        return null;
    }
}
