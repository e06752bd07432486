using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Core.Events;

/// <summary>A handler that keeps failing on an event: what an operator needs to find the cause.</summary>
public sealed record StuckDelivery(Guid EventId, string EventType, string Handler, int Attempts, DateTime? LastAttemptAt, string? LastError);

public static class StuckDeliveries
{
    /// <summary>
    /// Deliveries not yet done that failed at least <see cref="OutboxOptions.AlertAfterFailures"/> times, worst first.
    /// </summary>
    public static async Task<IReadOnlyList<StuckDelivery>> ListAsync(TrialFlowDbContext db, OutboxOptions options, int take = 20, CancellationToken cancellationToken = default) =>
        await db.Set<OutboxDelivery>().AsNoTracking()
            .Where(d => d.DeliveredAt == null && d.Attempts >= options.AlertAfterFailures)
            .OrderByDescending(d => d.Attempts).ThenBy(d => d.EventId).Take(take)
            .Join(db.Set<OutboxMessage>(), d => d.EventId, m => m.Id, (d, m) => new StuckDelivery(d.EventId, m.Type, d.Handler, d.Attempts, d.LastAttemptAt, d.LastError))
            .ToListAsync(cancellationToken);
}
