using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Audit.Anchoring;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Core.Audit;

/// <summary>
/// Gives pending events their place at the head of the chain (the caller inserts them). Runs inside the same transaction as the
/// changes it records, after taking the database's write lock, so two writers never claim one sequence. The events' time
/// is read under that lock too, so times never decrease along the chain and an event stamped at or before a moment has
/// committed once the lock was free after it (<see cref="WaitForAppendsInFlightAsync"/>). A chain written before keying
/// continues from its last plain hash into keyed ones.
/// </summary>
public static class AuditChainAppender
{
    // Any fixed number: the PostgreSQL advisory lock key that serializes appends across processes.
    private const long PostgresAppendLockKey = 0x5472_6961_6c46_6c77; // "TrialFlw"

    internal static async Task<List<AuditEvent>> ChainAsync(
        DbContext context, IReadOnlyList<PendingAuditEvent> pending, TimeProvider time, AuditChainKey key, CancellationToken cancellationToken)
    {
        await LockAsync(context, cancellationToken);
        var utcNow = time.GetUtcNow().UtcDateTime;

        var head = await context.Set<AuditEvent>()
            .AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(cancellationToken);

        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditEvent.GenesisHash;
        var appended = new List<AuditEvent>(pending.Count);
        foreach (var p in pending)
        {
            var e = new AuditEvent(++sequence, utcNow, p, previous, key);
            appended.Add(e);
            previous = e.Hash;
        }

        return appended;
    }

    /// <summary>
    /// Returns once every append that held the lock when it was called has committed or rolled back, and this process's
    /// checkpoint being written is on disk: an event or checkpoint stamped before this call is then visible, one stamped
    /// after it is later than this call. A dossier's cut-off reads the chain after this, so the same cut-off gives the
    /// same events and checkpoints however busy the writers are.
    /// </summary>
    public static async Task WaitForAppendsInFlightAsync(DbContext context, CancellationToken cancellationToken)
    {
        if (context.Database.CurrentTransaction is not null)
            throw new InvalidOperationException("Waiting for the audit chain's writers inside a transaction would wait for itself.");
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        await LockAsync(context, cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        (context as TrialFlowDbContext)?.AuditAnchor.Checkpoints.WaitForAppendsInFlight();
    }

    private static async Task LockAsync(DbContext context, CancellationToken cancellationToken)
    {
        // SQLite: Microsoft.Data.Sqlite opens transactions with BEGIN IMMEDIATE, which already holds the write lock.
        if (context.Database.IsNpgsql())
            await context.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PostgresAppendLockKey})", cancellationToken);
    }
}
