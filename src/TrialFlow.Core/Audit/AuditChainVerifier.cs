using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

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
    public static Task<AuditVerification> VerifyAsync(DbContext context, CancellationToken cancellationToken = default) =>
        VerifyAsync(context, upToSequence: null, cancellationToken);

    /// <summary>
    /// Walks the chain up to and including event <paramref name="upToSequence"/> (all events when null): a report made
    /// for a cut-off states what held for the events it covers, whatever was appended since.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(DbContext context, long? upToSequence, CancellationToken cancellationToken = default)
    {
        // A plain reader over the table: the walk is read-only and hot, and the change tracker would only add cost.
        var connection = context.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
            await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = """
                SELECT "Sequence", "OccurredAt", "ActorId", "ActorName", "ActorRole", "SiteId", "Action", "EntityType",
                       "EntityId", "OldValues", "NewValues", "Reason", "PreviousHash", "Hash"
                FROM "AuditEvents" WHERE "Sequence" <= @upTo ORDER BY "Sequence"
                """;
            var upTo = command.CreateParameter();
            upTo.ParameterName = "@upTo";
            upTo.Value = upToSequence ?? long.MaxValue;
            command.Parameters.Add(upTo);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            long count = 0, expected = 1;
            var previous = AuditEvent.GenesisHash;
            while (await reader.ReadAsync(cancellationToken))
            {
                count++;
                var sequence = reader.GetInt64(0);
                var storedPrevious = reader.GetString(12);
                var stored = reader.GetString(13);
                var problem = Check(sequence, expected, storedPrevious, previous);
                if (problem is null)
                {
                    var recomputed = AuditHasher.Compute(sequence, DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc),
                        reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetGuid(5),
                        reader.GetString(6), reader.GetString(7), reader.GetString(8), Text(reader, 9), Text(reader, 10), Text(reader, 11), storedPrevious);
                    if (!string.Equals(recomputed, stored, StringComparison.Ordinal))
                        problem = $"content does not match its hash (stored {stored}, computed {recomputed}): the event was altered";
                }

                if (problem is not null)
                    return new AuditVerification(count, expected - 1, previous, sequence, problem);
                previous = stored;
                expected++;
            }

            return new AuditVerification(count, expected - 1, previous, null, null);
        }
        finally
        {
            if (opened)
                await context.Database.CloseConnectionAsync();
        }
    }

    private static string? Text(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string? Check(long sequence, long expectedSequence, string storedPrevious, string previousHash)
    {
        if (sequence != expectedSequence)
            return sequence > expectedSequence
                ? $"events #{expectedSequence}..#{sequence - 1} are missing"
                : $"sequence {sequence} appears out of order";
        return string.Equals(storedPrevious, previousHash, StringComparison.Ordinal)
            ? null
            : $"previous-hash {storedPrevious} does not match the hash of event #{expectedSequence - 1} ({previousHash})";
    }
}
