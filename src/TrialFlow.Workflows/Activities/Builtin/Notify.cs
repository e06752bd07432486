using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Workflows.Persistence;

namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// Sends an in-app notification to a role at the study's site (or trial-wide roles). The notification and its audit
/// event are written in one transaction, keyed by instance and step so a re-run does not notify twice.
/// </summary>
[Activity("Communication", "Sends an in-app notification about the study to a role.")]
public sealed class Notify(WorkflowDatabase database) : Activity
{
    [Input("The role notified: SiteUser, StudyManager, Reader, Monitor...", Required = true, Default = "\"StudyManager\"")]
    public string Recipient { get; set; } = "";

    [Input("Short title.", Required = true)]
    public string Title { get; set; } = "";

    [Input("The message; JavaScript can build it from the study.", PreferJavaScript = true, Default = "\"\"")]
    public string Message { get; set; } = "";

    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        await database.InTransactionAsync(async (db, wf) =>
        {
            if (await wf.Notifications.AnyAsync(n => n.IdempotencyKey == context.IdempotencyKey, cancellationToken))
                return;
            var study = await db.Studies.AsNoTracking().Where(s => s.Id == context.StudyId).Select(s => new { s.TrialId, s.SiteId }).SingleAsync(cancellationToken);
            var notification = new WorkflowNotification
            {
                IdempotencyKey = context.IdempotencyKey,
                TrialId = study.TrialId,
                SiteId = study.SiteId,
                StudyId = context.StudyId,
                Recipient = Recipient,
                Title = Title,
                Message = Message,
                InstanceId = context.InstanceId,
                CreatedAt = context.Now,
            };
            wf.Notifications.Add(notification);
            await wf.SaveChangesAsync(cancellationToken);
            db.RecordEvent("Notified", nameof(WorkflowNotification), notification.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), study.SiteId,
                AuditDetails(context));
            await db.SaveChangesAsync(context.AuditReason, cancellationToken);
        }, cancellationToken);
        return ActivityResult.Done;
    }

    // Serialized, not concatenated: a title typed in the designer may hold quotes, backslashes or line breaks.
    private string AuditDetails(ActivityContext context) => JsonSerializer.Serialize(new
    {
        recipient = Recipient,
        title = Title,
        studyId = context.StudyId,
        instance = context.InstanceId,
        activity = context.ActivityId,
    });
}
