using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Audit.Anchoring;

namespace TrialFlow.Core.Audit;

/// <summary>
/// Gives pending events their place at the head of the chain (the caller inserts them). Runs inside the same transaction as the
/// changes it records, after taking the database's write lock, so two writers never claim one sequence. A chain
/// written before keying continues from its last plain hash into keyed ones.
/// </summary>
internal static class AuditChainAppender
{
    // Any fixed number: the PostgreSQL advisory lock key that serializes appends across processes.
    private const long PostgresAppendLockKey = 0x5472_6961_6c46_6c77; // "TrialFlw"

    public static async Task<List<AuditEvent>> ChainAsync(
        DbContext context, IReadOnlyList<PendingAuditEvent> pending, DateTime utcNow, AuditChainKey key, CancellationToken cancellationToken)
    {
        // SQLite: Microsoft.Data.Sqlite opens transactions with BEGIN IMMEDIATE, which already holds the write lock.
        if (context.Database.IsNpgsql())
            await context.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PostgresAppendLockKey})", cancellationToken);

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
}
