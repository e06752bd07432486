using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Core.Events;

/// <summary>
/// Delivers committed events to their handlers: each event is claimed (a lease, so two nodes rarely both deliver it),
/// given to every handler that has not had it yet, each success recorded, each failure recorded with its error and
/// retried later with a growing wait. At least once: a handler may see an event again after a crash or an expired
/// lease, never again after its success was recorded.
/// </summary>
public sealed class OutboxDispatcher(
    DatabaseOptions database,
    IEnumerable<ModuleEventSubscription> subscriptions,
    IServiceScopeFactory scopes,
    OutboxOptions options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger)
{
    private static readonly Actor DispatcherActor = Actor.System("events");
    private readonly ILookup<string, ModuleEventSubscription> _routes = subscriptions.ToLookup(s => s.EventName, StringComparer.Ordinal);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Delivers every event that is due now, once each; returns how many were fully delivered.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken = default)
    {
        var delivered = 0;
        // An event tried in this pass waits for the next one, even if it failed with a zero backoff.
        var tried = new HashSet<Guid>();
        while (true)
        {
            var now = Now;
            List<Guid> due;
            await using (var db = Context())
                due = await db.Set<OutboxMessage>().AsNoTracking()
                    .Where(m => m.DispatchedAt == null && (m.NextAttemptAt == null || m.NextAttemptAt <= now))
                    .OrderBy(m => m.OccurredAt).Select(m => m.Id).Take(options.BatchSize).ToListAsync(cancellationToken);
            due.RemoveAll(tried.Contains);
            if (due.Count == 0)
                return delivered;
            foreach (var id in due)
            {
                tried.Add(id);
                if (await TryDeliverAsync(id, cancellationToken))
                    delivered++;
            }
        }
    }

    private async Task<bool> TryDeliverAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = Context();
        var now = Now;
        // The claim is one conditional UPDATE, atomic on both databases: whoever changes the row delivers the event.
        var claimed = await db.Set<OutboxMessage>()
            .Where(m => m.Id == id && m.DispatchedAt == null && (m.NextAttemptAt == null || m.NextAttemptAt <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.NextAttemptAt, now + options.Lease), cancellationToken);
        if (claimed == 0)
            return false;

        var message = await db.Set<OutboxMessage>().SingleAsync(m => m.Id == id, cancellationToken);
        var deliveries = await db.Set<OutboxDelivery>().Where(d => d.EventId == id).ToDictionaryAsync(d => d.Handler, StringComparer.Ordinal, cancellationToken);
        var worstFailures = 0;
        foreach (var route in _routes[message.Type])
        {
            if (deliveries.GetValueOrDefault(route.Handler) is { DeliveredAt: not null })
                continue;
            if (!deliveries.TryGetValue(route.Handler, out var delivery))
            {
                delivery = new OutboxDelivery(id, route.Handler);
                db.Add(delivery);
                deliveries[route.Handler] = delivery;
            }

            try
            {
                var moduleEvent = (IModuleEvent)JsonSerializer.Deserialize(message.Payload, route.EventType)!;
                await using var scope = scopes.CreateAsyncScope();
                await route.InvokeAsync(scope.ServiceProvider, moduleEvent, new EventDelivery(id, message.OccurredAt, delivery.Attempts + 1), cancellationToken);
                delivery.Succeeded(Now);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                delivery.Failed(Now, e);
                worstFailures = Math.Max(worstFailures, delivery.Attempts);
                if (delivery.Attempts == options.AlertAfterFailures)
                    logger.LogCritical(e, "{Handler} has failed {Attempts} times in a row on {Event} {EventId}: the change it reacts to is not acted on; still retrying (see /health)",
                        route.Handler, delivery.Attempts, message.Type, id);
                else
                    logger.LogError(e, "{Handler} failed on {Event} {EventId} (attempt {Attempt}); will retry", route.Handler, message.Type, id, delivery.Attempts);
            }

            // Each outcome is recorded before the next handler runs, so a crash repeats as little as possible.
            await db.SaveChangesAsync(cancellationToken);
        }

        // An event nobody in this process subscribes to is done: the process runs every module the application has.
        if (worstFailures == 0)
            message.MarkDispatched(Now);
        else
            message.RetryAt(Now + options.RetryAfter(worstFailures));
        await db.SaveChangesAsync(cancellationToken);
        return worstFailures == 0;
    }

    private TrialFlowDbContext Context() => DatabaseServiceCollectionExtensions.CreateContext(database, DispatcherActor, time);
}
