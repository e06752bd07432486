using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Core.Events;

/// <summary>
/// Wakes the dispatcher when a caller's transaction that holds events commits (a save inside it could not: its events
/// were not visible yet). Saves in their own transaction pulse directly. Stateless and shared, like
/// <see cref="SqlitePragmas"/>: the signal is the context's own.
/// </summary>
internal sealed class OutboxCommitSignal : DbTransactionInterceptor
{
    public static OutboxCommitSignal Instance { get; } = new();

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Wake(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Wake(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData);
        return Task.CompletedTask;
    }

    private static void Wake(TransactionEndEventData eventData)
    {
        if (eventData.Context is TrialFlowDbContext { HasUncommittedEvents: true } db)
        {
            db.HasUncommittedEvents = false;
            db.OutboxSignal.Pulse();
        }
    }

    private static void Forget(TransactionEndEventData eventData)
    {
        if (eventData.Context is TrialFlowDbContext db)
            db.HasUncommittedEvents = false;
    }
}
