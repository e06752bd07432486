using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Workflows.Runtime;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace TrialFlow.Workflows.Persistence;

/// <summary>
/// WorkflowCore's persistence on EF Core in the TrialFlow database (SQLite or PostgreSQL). Times are stored as UTC
/// whatever kind WorkflowCore hands in; instance data is <see cref="StudyWorkflowData"/> as JSON; saving an instance
/// also writes the journal entries of the steps that produced it, in the same transaction. Scheduled commands are
/// not supported: timers are found by <see cref="GetRunnableInstances"/> on each poll.
/// </summary>
public sealed class EfPersistenceProvider(WorkflowStore store, JournalBuffer journal) : IPersistenceProvider
{
    // What each instance looked like when this node last read or wrote it. WorkflowCore saves an instance after every
    // pass, including passes that changed nothing (the poller re-queues runnable instances already queued); writing
    // the same row again only costs the single SQLite writer. Skipping such a write never loses a change: the row is
    // left as this node read it.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _lastSeen = new(StringComparer.Ordinal);

    public bool SupportsScheduledCommands => false;

    public async Task<string> CreateNewWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default)
    {
        workflow.Id = Guid.NewGuid().ToString();
        await using var db = store.Context();
        db.Instances.Add(ToRecord(workflow));
        using (await store.WriteLockAsync(cancellationToken))
            await db.SaveChangesAsync(cancellationToken);
        return workflow.Id;
    }

    public Task PersistWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default) =>
        PersistWorkflow(workflow, [], cancellationToken);

    public async Task PersistWorkflow(WorkflowInstance workflow, List<EventSubscription>? subscriptions, CancellationToken cancellationToken = default)
    {
        var record = ToRecord(workflow);
        var state = StateOf(record);
        var entries = journal.Drain(workflow.Id);
        if ((subscriptions is null || subscriptions.Count == 0) && entries.Count == 0 && _lastSeen.TryGetValue(workflow.Id, out var seen) && seen == state)
            return;
        await using var db = store.Context();
        db.Instances.Update(record);
        foreach (var subscription in subscriptions ?? [])
        {
            subscription.Id = Guid.NewGuid().ToString();
            db.Subscriptions.Add(ToRecord(subscription));
        }
        db.Journal.AddRange(entries);
        try
        {
            // One SaveChanges: one transaction for the instance, its new subscriptions and its journal.
            using (await store.WriteLockAsync(cancellationToken))
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception)
        {
            foreach (var entry in entries)
                journal.Add(entry);
            throw;
        }
    }

    private long _polls;

    /// <summary>
    /// How many times the engine's poller has asked for due instances. Its polls run on the wall clock whatever the
    /// injected clock says, so a check that nothing became due waits for polls to pass, not for time.
    /// </summary>
    public long Polls => Interlocked.Read(ref _polls);

    public async Task<IEnumerable<string>> GetRunnableInstances(DateTime asAt, CancellationToken cancellationToken = default)
    {
        var now = WorkflowClock.ToUtc(asAt).Ticks;
        await using var db = store.Context();
        var due = await db.Instances.AsNoTracking()
            .Where(i => i.Status == nameof(WorkflowStatus.Runnable) && i.NextExecution != null && i.NextExecution <= now)
            .OrderBy(i => i.NextExecution).Select(i => i.Id).Take(1000).ToListAsync(cancellationToken);
        Interlocked.Increment(ref _polls);
        return due;
    }

    [Obsolete("WorkflowCore's own search; kept for the interface.")]
    public async Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(WorkflowStatus? status, string type, DateTime? createdFrom, DateTime? createdTo, int skip, int take)
    {
        await using var db = store.Context();
        var query = db.Instances.AsNoTracking();
        if (status is { } s)
            query = query.Where(i => i.Status == s.ToString());
        if (!string.IsNullOrEmpty(type))
            query = query.Where(i => i.DefinitionId == type);
        if (createdFrom is { } from)
            query = query.Where(i => i.CreateTime >= WorkflowClock.ToUtc(from));
        if (createdTo is { } to)
            query = query.Where(i => i.CreateTime <= WorkflowClock.ToUtc(to));
        return (await query.OrderBy(i => i.CreateTime).Skip(skip).Take(take).ToListAsync()).Select(ToInstance).ToList();
    }

    public async Task<WorkflowInstance> GetWorkflowInstance(string Id, CancellationToken cancellationToken = default)
    {
        await using var db = store.Context();
        var record = await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == Id, cancellationToken)
            ?? throw new KeyNotFoundException($"Workflow instance {Id} does not exist.");
        Remember(record.Id, record.Status, StateOf(record));
        return ToInstance(record);
    }

    public async Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        var list = ids.ToList();
        await using var db = store.Context();
        return (await db.Instances.AsNoTracking().Where(i => list.Contains(i.Id)).ToListAsync(cancellationToken)).Select(ToInstance).ToList();
    }

    public async Task<string> CreateEventSubscription(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        subscription.Id = Guid.NewGuid().ToString();
        await using var db = store.Context();
        db.Subscriptions.Add(ToRecord(subscription));
        using (await store.WriteLockAsync(cancellationToken))
            await db.SaveChangesAsync(cancellationToken);
        return subscription.Id;
    }

    public async Task<IEnumerable<EventSubscription>> GetSubscriptions(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        var at = WorkflowClock.ToUtc(asOf);
        await using var db = store.Context();
        return (await db.Subscriptions.AsNoTracking().Where(s => s.EventName == eventName && s.EventKey == eventKey && s.SubscribeAsOf <= at)
            .ToListAsync(cancellationToken)).Select(ToSubscription).ToList();
    }

    public async Task TerminateSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        await using var db = store.Context();
        using (await store.WriteLockAsync(cancellationToken))
            await db.Subscriptions.Where(s => s.Id == eventSubscriptionId).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<EventSubscription> GetSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        await using var db = store.Context();
        var record = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == eventSubscriptionId, cancellationToken);
        return record is null ? null! : ToSubscription(record);
    }

    public async Task<EventSubscription> GetFirstOpenSubscription(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        var at = WorkflowClock.ToUtc(asOf);
        await using var db = store.Context();
        var record = await db.Subscriptions.AsNoTracking()
            .Where(s => s.EventName == eventName && s.EventKey == eventKey && s.SubscribeAsOf <= at && s.ExternalToken == null)
            .OrderBy(s => s.SubscribeAsOf).FirstOrDefaultAsync(cancellationToken);
        return record is null ? null! : ToSubscription(record);
    }

    public async Task<bool> SetSubscriptionToken(string eventSubscriptionId, string token, string workerId, DateTime expiry, CancellationToken cancellationToken = default)
    {
        var until = WorkflowClock.ToUtc(expiry);
        await using var db = store.Context();
        using var gate = await store.WriteLockAsync(cancellationToken);
        return await db.Subscriptions.Where(s => s.Id == eventSubscriptionId && s.ExternalToken == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ExternalToken, token).SetProperty(s => s.ExternalWorkerId, workerId).SetProperty(s => s.ExternalTokenExpiry, until), cancellationToken) == 1;
    }

    public async Task ClearSubscriptionToken(string eventSubscriptionId, string token, CancellationToken cancellationToken = default)
    {
        await using var db = store.Context();
        using var gate = await store.WriteLockAsync(cancellationToken);
        await db.Subscriptions.Where(s => s.Id == eventSubscriptionId && s.ExternalToken == token)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ExternalToken, (string?)null).SetProperty(s => s.ExternalWorkerId, (string?)null).SetProperty(s => s.ExternalTokenExpiry, (DateTime?)null), cancellationToken);
    }

    public async Task<string> CreateEvent(Event newEvent, CancellationToken cancellationToken = default)
    {
        newEvent.Id = Guid.NewGuid().ToString();
        await using var db = store.Context();
        db.Events.Add(new EventRecord
        {
            Id = newEvent.Id,
            EventName = newEvent.EventName,
            EventKey = newEvent.EventKey,
            EventData = PointerDocument.Text(newEvent.EventData),
            EventTime = WorkflowClock.ToUtc(newEvent.EventTime),
            IsProcessed = newEvent.IsProcessed,
        });
        using (await store.WriteLockAsync(cancellationToken))
            await db.SaveChangesAsync(cancellationToken);
        return newEvent.Id;
    }

    public async Task<Event> GetEvent(string id, CancellationToken cancellationToken = default)
    {
        await using var db = store.Context();
        var e = await db.Events.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"Workflow event {id} does not exist.");
        return new Event { Id = e.Id, EventName = e.EventName, EventKey = e.EventKey, EventData = e.EventData!, EventTime = e.EventTime, IsProcessed = e.IsProcessed };
    }

    public async Task<IEnumerable<string>> GetRunnableEvents(DateTime asAt, CancellationToken cancellationToken = default)
    {
        var at = WorkflowClock.ToUtc(asAt);
        await using var db = store.Context();
        return await db.Events.AsNoTracking().Where(e => !e.IsProcessed && e.EventTime <= at).OrderBy(e => e.EventTime).Select(e => e.Id).Take(1000).ToListAsync(cancellationToken);
    }

    /// <summary>Events a new wait may consume: published at or after its effective date, so an older one never releases it.</summary>
    public async Task<IEnumerable<string>> GetEvents(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        var at = WorkflowClock.ToUtc(asOf);
        await using var db = store.Context();
        return await db.Events.AsNoTracking().Where(e => e.EventName == eventName && e.EventKey == eventKey && e.EventTime >= at).Select(e => e.Id).ToListAsync(cancellationToken);
    }

    public Task MarkEventProcessed(string id, CancellationToken cancellationToken = default) => SetProcessed(id, true, cancellationToken);

    public Task MarkEventUnprocessed(string id, CancellationToken cancellationToken = default) => SetProcessed(id, false, cancellationToken);

    public async Task PersistErrors(IEnumerable<ExecutionError> errors, CancellationToken cancellationToken = default)
    {
        var list = errors.ToList();
        if (list.Count == 0)
            return;
        await using var db = store.Context();
        db.Errors.AddRange(list.Select(e => new ExecutionErrorRecord
        {
            WorkflowId = e.WorkflowId,
            ExecutionPointerId = e.ExecutionPointerId ?? "",
            ErrorTime = WorkflowClock.ToUtc(e.ErrorTime),
            Message = e.Message is { Length: > 4000 } m ? m[..4000] : e.Message ?? "",
        }));
        using (await store.WriteLockAsync(cancellationToken))
            await db.SaveChangesAsync(cancellationToken);
    }

    public void EnsureStoreExists() => store.MigrateAsync().GetAwaiter().GetResult();

    public Task ScheduleCommand(ScheduledCommand command) =>
        throw new NotSupportedException("Scheduled commands are not used: the poller finds due instances and events.");

    public Task ProcessCommands(DateTimeOffset asOf, Func<ScheduledCommand, Task> action, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private async Task SetProcessed(string id, bool processed, CancellationToken cancellationToken)
    {
        await using var db = store.Context();
        using var gate = await store.WriteLockAsync(cancellationToken);
        await db.Events.Where(e => e.Id == id).ExecuteUpdateAsync(u => u.SetProperty(e => e.IsProcessed, processed), cancellationToken);
    }

    private void Remember(string id, string status, string state)
    {
        if (status is nameof(WorkflowStatus.Complete) or nameof(WorkflowStatus.Terminated))
            _lastSeen.TryRemove(id, out _);
        else
            _lastSeen[id] = state;
    }

    private static string StateOf(WorkflowInstanceRecord r) =>
        string.Join('\u001f', r.Status, r.NextExecution, r.CompleteTime?.Ticks, r.Description, r.Reference, r.Data, r.Pointers);

    private static WorkflowInstanceRecord ToRecord(WorkflowInstance w) => new()
    {
        Id = w.Id,
        DefinitionId = w.WorkflowDefinitionId,
        Version = w.Version,
        Description = w.Description,
        Reference = w.Reference,
        StudyId = w.Data is StudyWorkflowData { StudyId: var study } && Guid.TryParse(study, out var id) ? id : null,
        Status = w.Status.ToString(),
        Data = w.Data is null ? "{}" : JsonSerializer.Serialize(w.Data, w.Data.GetType()),
        Pointers = PointerDocument.Write(w.ExecutionPointers),
        NextExecution = w.NextExecution,
        CreateTime = WorkflowClock.ToUtc(w.CreateTime),
        CompleteTime = w.CompleteTime is { } c ? WorkflowClock.ToUtc(c) : null,
    };

    private static WorkflowInstance ToInstance(WorkflowInstanceRecord r) => new()
    {
        Id = r.Id,
        WorkflowDefinitionId = r.DefinitionId,
        Version = r.Version,
        Description = r.Description,
        Reference = r.Reference,
        Status = Enum.Parse<WorkflowStatus>(r.Status),
        Data = JsonSerializer.Deserialize<StudyWorkflowData>(r.Data)!,
        ExecutionPointers = PointerDocument.Read(r.Pointers),
        NextExecution = r.NextExecution,
        CreateTime = r.CreateTime,
        CompleteTime = r.CompleteTime,
    };

    private static EventSubscriptionRecord ToRecord(EventSubscription s) => new()
    {
        Id = s.Id,
        WorkflowId = s.WorkflowId,
        StepId = s.StepId,
        ExecutionPointerId = s.ExecutionPointerId,
        EventName = s.EventName,
        EventKey = s.EventKey,
        SubscribeAsOf = WorkflowClock.ToUtc(s.SubscribeAsOf),
        SubscriptionData = PointerDocument.Text(s.SubscriptionData),
        ExternalToken = s.ExternalToken,
        ExternalWorkerId = s.ExternalWorkerId,
        ExternalTokenExpiry = s.ExternalTokenExpiry is { } e ? WorkflowClock.ToUtc(e) : null,
    };

    private static EventSubscription ToSubscription(EventSubscriptionRecord r) => new()
    {
        Id = r.Id,
        WorkflowId = r.WorkflowId,
        StepId = r.StepId,
        ExecutionPointerId = r.ExecutionPointerId,
        EventName = r.EventName,
        EventKey = r.EventKey,
        SubscribeAsOf = r.SubscribeAsOf,
        SubscriptionData = r.SubscriptionData!,
        ExternalToken = r.ExternalToken!,
        ExternalWorkerId = r.ExternalWorkerId!,
        ExternalTokenExpiry = r.ExternalTokenExpiry,
    };
}
