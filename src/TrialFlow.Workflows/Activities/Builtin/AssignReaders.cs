using TrialFlow.Review.Service;

namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// Assigns the trial's independent readers to the study (qualified, never from the subject's site, the subject's
/// earlier readers first, then by load). Idempotent: a re-run finds the tasks made the first time. When the pool
/// cannot fill every slot, the tasks it could make are kept and the step tries again hourly, so a reader added to
/// the pool later takes the open slot without anyone touching the workflow.
/// </summary>
[Activity("Review", "Assigns the trial's independent readers to the study (blinded central review).")]
public sealed class AssignReaders(WorkflowDatabase database, ReviewCoordinator coordinator) : Activity
{
    internal static readonly TimeSpan RetryShortPool = TimeSpan.FromHours(1);

    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        await using var db = database.Context();
        var outcome = await coordinator.AssignReadersAsync(db, context.StudyId, cancellationToken);
        if (outcome.Shortfall is not null)
            db.RecordEvent("ReaderPoolShort", "ImagingStudy", context.StudyId.ToString(), details: outcome.Shortfall);
        using (await database.WriteLockAsync(cancellationToken))
            await db.SaveChangesAsync(context.AuditReason, cancellationToken);
        return outcome.Shortfall is null ? ActivityResult.Done : ActivityResult.SleepFor(RetryShortPool, "short");
    }
}
