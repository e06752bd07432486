using Microsoft.EntityFrameworkCore;

namespace TrialFlow.Core.Audit;

/// <summary>The outcome of walking the audit chain.</summary>
/// <param name="EventsChecked">How many events were read before the walk ended.</param>
/// <param name="LastSequence">Sequence of the last event that verified.</param>
/// <param name="LastHash">Hash of the last event that verified (the chain head when intact).</param>
/// <param name="BrokenAt">Sequence of the first event that does not verify, or null when the chain is intact.</param>
/// <param name="Problem">What is wrong at <paramref name="BrokenAt"/>.</param>
public sealed record AuditVerification(long EventsChecked, long LastSequence, string LastHash, long? BrokenAt, string? Problem)
{
    public bool IsIntact => BrokenAt is null;

    public override string ToString() => IsIntact
        ? $"audit chain intact: {EventsChecked} events, head #{LastSequence} {LastHash}"
        : $"audit chain BROKEN at event #{BrokenAt}: {Problem} ({EventsChecked - 1} events before it verified)";
}

/// <summary>
/// Walks the chain from the first event and reports the first broken link: a changed event (hash does not
/// match its content), a removed or inserted event (sequence gap or previous-hash mismatch).
/// </summary>
public static class AuditChainVerifier
{
    public static async Task<AuditVerification> VerifyAsync(DbContext context, CancellationToken cancellationToken = default)
    {
        long count = 0, expected = 1;
        var previous = AuditEvent.GenesisHash;
        await foreach (var e in context.Set<AuditEvent>().AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            var problem = Check(e, expected, previous);
            if (problem is not null)
                return new AuditVerification(count, expected - 1, previous, e.Sequence, problem);
            previous = e.Hash;
            expected++;
        }

        return new AuditVerification(count, expected - 1, previous, null, null);
    }

    private static string? Check(AuditEvent e, long expectedSequence, string previousHash)
    {
        if (e.Sequence != expectedSequence)
            return e.Sequence > expectedSequence
                ? $"events #{expectedSequence}..#{e.Sequence - 1} are missing"
                : $"sequence {e.Sequence} appears out of order";
        if (!string.Equals(e.PreviousHash, previousHash, StringComparison.Ordinal))
            return $"previous-hash {e.PreviousHash} does not match the hash of event #{expectedSequence - 1} ({previousHash})";
        var recomputed = AuditHasher.Compute(e);
        return string.Equals(recomputed, e.Hash, StringComparison.Ordinal)
            ? null
            : $"content does not match its hash (stored {e.Hash}, computed {recomputed}): the event was altered";
    }
}
