using Microsoft.EntityFrameworkCore;
using TrialFlow.Review.Domain;

namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// Waits until every read task of the study has a signed read. It waits for one task at a time, keyed by that task's
/// id and effective from its assignment, so no other task's signature, and no signature from before the task existed,
/// releases it; each time it wakes it checks the tasks again, which also covers signatures made while it was not
/// waiting yet.
/// </summary>
[Activity("Review", "Waits until every reader has signed their read of the study.", Waits = true)]
public sealed class WaitForReads(WorkflowDatabase database) : Activity
{
    public const string EventName = "trialflow.read-signed";

    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        await using var db = database.Context();
        var pending = await db.ReadTasks.AsNoTracking().Where(t => t.StudyId == context.StudyId && t.Status != ReadTaskStatus.Completed)
            .OrderBy(t => t.Slot).Select(t => new { t.Id, t.AssignedAt }).FirstOrDefaultAsync(cancellationToken);
        if (pending is null)
        {
            if (!await db.ReadTasks.AnyAsync(t => t.StudyId == context.StudyId, cancellationToken))
                throw new InvalidOperationException($"Study {context.StudyId} has no read tasks: put AssignReaders before WaitForReads.");
            return ActivityResult.Done;
        }
        return ActivityResult.WaitForEvent(EventName, pending.Id.ToString(), pending.AssignedAt, $"waiting:{pending.Id}");
    }
}
