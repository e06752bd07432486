using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Activities.Builtin;
using TrialFlow.Workflows.Persistence;

namespace TrialFlow.Workflows.Runtime;

/// <summary>An EDC export that failed after its retries, as a data manager works through them.</summary>
public sealed record ExportIncident(long Id, string InstanceId, Guid StudyId, string ActivityId, int Attempts, string Message, DateTime OccurredAt);

/// <summary>
/// Failed EDC exports and sending them again. The instance has gone on along the export's error port, so a retry runs
/// the exporter directly with the failed step's own idempotency key (the EDC gets the visit at most once, whatever
/// happened before), then resolves the incident; both audited as the person who asked.
/// </summary>
public sealed class ExportIncidents(WorkflowStore store, IVisitResultsExporter exporter, TimeProvider time)
{
    public async Task<IReadOnlyList<ExportIncident>> OpenAsync(CancellationToken cancellationToken = default)
    {
        await using var wf = store.Context();
        return await wf.Incidents.AsNoTracking().Where(i => i.ActivityType == nameof(ExportToEdc) && i.ResolvedAt == null)
            .OrderBy(i => i.OccurredAt).Select(i => new ExportIncident(i.Id, i.InstanceId, i.StudyId, i.ActivityId, i.Attempts, i.Message, i.OccurredAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Sends the visit again; null when there is no open export incident <paramref name="incidentId"/>. Throws as the exporter does when the EDC refuses again.</summary>
    public async Task<VisitExportReceipt?> RetryAsync(long incidentId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var wf = store.Context();
        var incident = await wf.Incidents.SingleOrDefaultAsync(i => i.Id == incidentId && i.ActivityType == nameof(ExportToEdc) && i.ResolvedAt == null, cancellationToken);
        if (incident is null)
            return null;
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(store.Database, actor, time);
        var study = await db.Studies.AsNoTracking().IgnoreQueryFilters().Where(s => s.Id == incident.StudyId)
            .Select(s => new { s.TrialId, s.SiteId }).SingleAsync(cancellationToken);
        var receipt = await exporter.ExportAsync(new VisitExportRequest($"{incident.InstanceId}/{incident.ExecutionPointerId}", study.TrialId, incident.StudyId,
            $"EDC export sent again from incident {incident.Id} by {actor.UserName}"), cancellationToken);

        using (await store.WriteLockAsync(cancellationToken))
        {
            incident.ResolvedAt = time.GetUtcNow().UtcDateTime;
            await wf.SaveChangesAsync(cancellationToken);
            db.RecordEvent("WorkflowIncidentResolved", "WorkflowInstance", incident.InstanceId, study.SiteId,
                JsonSerializer.Serialize(new { incident = incident.Id, activity = incident.ActivityId, target = receipt.Target, receipt.AlreadyDelivered }));
            await db.SaveChangesAsync($"EDC export sent again from incident {incident.Id}", cancellationToken);
        }
        return receipt;
    }
}
