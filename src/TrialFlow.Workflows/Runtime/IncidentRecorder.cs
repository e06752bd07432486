using Microsoft.EntityFrameworkCore;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Persistence;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// Records that an activity gave up (its <c>error</c> outcome): an incident row for the UI and an audit event, in one
/// transaction, once per step even if the step runs again after a crash.
/// </summary>
internal sealed class IncidentRecorder(WorkflowDatabase database)
{
    public Task RecordAsync(ActivityContext context, int attempts, string message, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (db, wf) =>
        {
            if (await wf.Incidents.AnyAsync(i => i.InstanceId == context.InstanceId && i.ExecutionPointerId == context.ExecutionPointerId, cancellationToken))
                return;
            var siteId = await db.Studies.Where(s => s.Id == context.StudyId).Select(s => (Guid?)s.SiteId).SingleOrDefaultAsync(cancellationToken);
            wf.Incidents.Add(new WorkflowIncident
            {
                InstanceId = context.InstanceId,
                ExecutionPointerId = context.ExecutionPointerId,
                ActivityId = context.ActivityId,
                ActivityType = context.ActivityType,
                StudyId = context.StudyId,
                Attempts = attempts,
                Message = message.Length > 4000 ? message[..4000] : message,
                OccurredAt = context.Now,
            });
            await wf.SaveChangesAsync(cancellationToken);
            db.RecordEvent("WorkflowIncident", "WorkflowInstance", context.InstanceId, siteId,
                System.Text.Json.JsonSerializer.Serialize(new { activity = context.ActivityId, type = context.ActivityType, attempts, message }));
            await db.SaveChangesAsync(context.AuditReason, cancellationToken);
        }, cancellationToken);
}
