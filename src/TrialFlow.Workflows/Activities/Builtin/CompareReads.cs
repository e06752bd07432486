using TrialFlow.Review.Service;

namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// Compares the signed reads on the trial's adjudication variables (overall response, date of progression, best
/// overall response, as its review settings say). Agreement flags reader 1's read as the accepted assessment;
/// a difference opens an adjudication for a qualified adjudicator. Idempotent: one adjudication per pair of reads.
/// </summary>
[Activity("Review", "Compares the independent reads on the trial's adjudication variables.", Outcomes = ["agree", "adjudicate"])]
public sealed class CompareReads(WorkflowDatabase database, ReviewCoordinator coordinator) : Activity
{
    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        await using var db = database.Context();
        var outcome = await coordinator.CompareAsync(db, context.StudyId, cancellationToken);
        if (outcome.Adjudication is { } adjudication)
            db.RecordEvent("AdjudicationOpened", nameof(TrialFlow.Review.Domain.Adjudication), adjudication.Id.ToString(), details: string.Join("; ", outcome.Differences));
        using (await database.WriteLockAsync(cancellationToken))
            await db.SaveChangesAsync(context.AuditReason, cancellationToken);
        return ActivityResult.Outcome(outcome.Agree ? "agree" : "adjudicate");
    }
}
