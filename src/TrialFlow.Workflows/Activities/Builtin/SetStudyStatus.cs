using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;

namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>Sets the study's status. The change is audited with the workflow, instance and activity as its reason.</summary>
[Activity("Study", "Moves the study to a status its lifecycle allows (QcPassed, QcFailed, InReview, Reviewed).")]
public sealed class SetStudyStatus(WorkflowDatabase database) : Activity
{
    [Input("The new status.", Required = true)]
    public StudyStatus Status { get; set; }

    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        await using var db = database.Context();
        var study = await db.Studies.SingleAsync(s => s.Id == context.StudyId, cancellationToken);
        // Idempotent: a re-run after a crash finds the status already set and writes nothing (no second audit event).
        // A move the study's lifecycle does not allow throws, and the step stops with that message as its incident.
        if (study.MoveTo(Status))
        {
            using (await database.WriteLockAsync(cancellationToken))
                await db.SaveChangesAsync(context.AuditReason, cancellationToken);
        }
        return ActivityResult.Done;
    }
}
