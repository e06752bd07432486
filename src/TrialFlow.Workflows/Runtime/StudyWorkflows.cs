using Microsoft.EntityFrameworkCore;
using TrialFlow.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace TrialFlow.Workflows.Runtime;

/// <summary>An instance as the UI shows it: where it is, and the path it took (the journal).</summary>
public sealed record InstanceView(
    string Id,
    string DefinitionId,
    int Version,
    string Status,
    Guid StudyId,
    DateTime CreatedAt,
    DateTime? CompletedAt,
    IReadOnlyList<string> CurrentActivities,
    IReadOnlyList<JournalEntry> Journal,
    IReadOnlyList<WorkflowIncident> Incidents);

/// <summary>What the rest of TrialFlow uses of the engine: publish events, look at instances. WorkflowCore stays inside.</summary>
public sealed class StudyWorkflows(WorkflowStore store, IWorkflowHost host, IWorkflowRegistry registry)
{
    /// <summary>Publishes an event; only waits on <paramref name="name"/> with exactly <paramref name="key"/> that began before it are released.</summary>
    public Task PublishEventAsync(string name, string key, string? data = null) => host.PublishEvent(name, key, data!);

    /// <summary>
    /// Releases <paramref name="activityId"/> of <paramref name="instanceId"/> if it is waiting for a signal (audited as
    /// <paramref name="actor"/>); returns false when it is not waiting.
    /// </summary>
    public async Task<bool> SignalAsync(string instanceId, string activityId, Core.Access.Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = store.Context();
        var record = await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (record is null)
            return false;
        var waiting = PointerDocument.Read(record.Pointers).FirstOrDefault(p => p.Status == PointerStatus.WaitingForEvent
            && p.EventName == Activities.Builtin.WaitForSignal.EventName && p.EventKey?.StartsWith($"{instanceId}/{activityId}/", StringComparison.Ordinal) == true);
        if (waiting is null)
            return false;
        await using (var audit = Core.Persistence.DatabaseServiceCollectionExtensions.CreateContext(store.Database, actor))
        {
            audit.RecordEvent("WorkflowSignalled", "WorkflowInstance", instanceId, details: System.Text.Json.JsonSerializer.Serialize(new { activity = activityId }));
            await audit.SaveChangesAsync(cancellationToken);
        }
        await host.PublishEvent(Activities.Builtin.WaitForSignal.EventName, waiting.EventKey, actor.UserName);
        return true;
    }

    /// <summary>The latest instances, newest first, with their open incidents counted.</summary>
    public async Task<IReadOnlyList<(WorkflowInstanceRecord Instance, int Incidents)>> RecentAsync(int take, CancellationToken cancellationToken = default)
    {
        await using var db = store.Context();
        var instances = await db.Instances.AsNoTracking().OrderByDescending(i => i.CreateTime).Take(take).ToListAsync(cancellationToken);
        var ids = instances.Select(i => i.Id).ToList();
        var incidents = await db.Incidents.AsNoTracking().Where(i => ids.Contains(i.InstanceId) && i.ResolvedAt == null)
            .GroupBy(i => i.InstanceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return instances.Select(i => (i, incidents.GetValueOrDefault(i.Id))).ToList();
    }

    public async Task<IReadOnlyList<InstanceView>> ForStudyAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = store.Context();
        var ids = await db.Instances.AsNoTracking().Where(i => i.StudyId == studyId).OrderBy(i => i.CreateTime).Select(i => i.Id).ToListAsync(cancellationToken);
        var views = new List<InstanceView>();
        foreach (var id in ids)
            if (await FindAsync(id, cancellationToken) is { } view)
                views.Add(view);
        return views;
    }

    public async Task<InstanceView?> FindAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = store.Context();
        var record = await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (record is null)
            return null;
        var journal = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Id).ToListAsync(cancellationToken);
        var incidents = await db.Incidents.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Id).ToListAsync(cancellationToken);
        var definition = registry.GetDefinition(record.DefinitionId, record.Version);
        var current = PointerDocument.Read(record.Pointers).Where(p => p.EndTime is null && p.Status != PointerStatus.Cancelled)
            .Select(p => definition?.Steps.FindById(p.StepId)?.ExternalId ?? $"step {p.StepId}").ToList();
        var data = System.Text.Json.JsonSerializer.Deserialize<StudyWorkflowData>(record.Data)!;
        return new InstanceView(record.Id, record.DefinitionId, record.Version, record.Status, Guid.Parse(data.StudyId), record.CreateTime, record.CompleteTime, current, journal, incidents);
    }
}
