using TrialFlow.Qc.Domain;
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
    /// <summary>
    /// How long QC of one study may compute. A JavaScript condition is stopped after 50 ms, but a ruleset runs it once per
    /// match: without a total, 50 rules over a study of many series could hold a thread for minutes.
    /// </summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(10);

    public static QcEvaluation Evaluate(CompiledRuleset ruleset, StudyFactSet facts, CancellationToken cancellationToken = default) =>
        Evaluate(ruleset, facts, DefaultTimeLimit, cancellationToken);

    /// <summary>Evaluates within <paramref name="timeLimit"/> of wall-clock time (computation, not domain time: no fake clock); throws <see cref="QcTimeLimitException"/> past it.</summary>
    public static QcEvaluation Evaluate(CompiledRuleset ruleset, StudyFactSet facts, TimeSpan timeLimit, CancellationToken cancellationToken = default)
    {
        var sink = new FindingSink();
        var session = ruleset.Factory.CreateSession();
        session.DependencyResolver = new FindingSink.Resolver(sink);
        using var deadline = new CancellationTokenSource(timeLimit);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            using (JsCondition.WithDeadline(deadline.Token))
            {
                // Conditions run as facts are inserted, not only on Fire: a failing expression can surface from either.
                session.InsertAll(facts.All(ruleset.UsesInstances));
                session.Fire(both.Token);
                // Fire stops quietly when its token is cancelled: rules may not have fired, so the result is not QC's.
                both.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new QcTimeLimitException(null, timeLimit);
        }
        catch (QcTimeLimitException e)
        {
            throw e.With(timeLimit);
        }
        catch (Exception e) when (Unwrap(e) is { } qc)
        {
            throw qc is QcTimeLimitException limit ? limit.With(timeLimit) : qc;
        }
        // Findings in rule order, then message: the same study gives the same list every time.
        var findings = sink.Findings.Count < 2 ? sink.Findings.ToList() : sink.Findings.OrderBy(f => f.Rule!.Order).ThenBy(f => f.Message, StringComparer.Ordinal).ToList();
        return new QcEvaluation(QcResult.OutcomeOf(findings.Select(f => f.Severity)), findings);
    }

    private static QcException? Unwrap(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is QcEvaluationException or QcTimeLimitException)
                return (QcException)inner;
        return null;
    }
}
