using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TrialFlow.Core.Audit.Anchoring;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Core.Audit;

/// <summary>
/// Walks the chain from the first event and reports the first broken link: a changed event (hash does not match its
/// content under the key it names), a removed or inserted event (sequence gap or previous-hash mismatch), an event
/// re-hashed without the key after keying began; then holds the chain against the signed checkpoints: a chain that
/// ends before a checkpoint lost its tail, one whose hash at a checkpoint's sequence differs was rewritten.
/// </summary>
public static class AuditChainVerifier
{
    public static Task<AuditVerification> VerifyAsync(DbContext context, CancellationToken cancellationToken = default) =>
        VerifyAsync(context, upToSequence: null, cancellationToken);

    /// <summary>
    /// Walks the chain up to and including event <paramref name="upToSequence"/> (all events when null), held against
    /// the checkpoints made by <paramref name="checkpointsMadeBy"/> (all when null): a report made for a cut-off states
    /// what held for the events it covers, whatever was appended or checkpointed since.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(DbContext context, long? upToSequence, CancellationToken cancellationToken = default,
        DateTime? checkpointsMadeBy = null)
    {
        var anchor = (context as TrialFlowDbContext)?.AuditAnchor;
        var checkpoints = anchor is null ? AuditCheckpointSet.Empty : AuditCheckpointSet.Read(anchor, upToSequence, checkpointsMadeBy);
        var walk = await WalkAsync(context, anchor?.Keys, checkpoints, upToSequence, cancellationToken);
        if (walk.IsIntact && checkpoints.Latest is { } latest && latest.Sequence > walk.LastSequence)
        {
            walk = walk with
            {
                BrokenAt = walk.LastSequence + 1,
                Problem = $"the chain ends at #{walk.LastSequence} but the {latest.Describe()} recorded #{latest.Sequence}: " +
                    $"events #{walk.LastSequence + 1}…#{latest.Sequence} were removed",
            };
        }

        return walk with { Checkpoint = checkpoints.Latest, IgnoredCheckpoints = checkpoints.Ignored };
    }

    private static async Task<AuditVerification> WalkAsync(
        DbContext context, AuditChainKeyRing? keys, AuditCheckpointSet checkpoints, long? upToSequence, CancellationToken cancellationToken)
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
                       "EntityId", "OldValues", "NewValues", "Reason", "PreviousHash", "Hash", "KeyId"
                FROM "AuditEvents" WHERE "Sequence" <= @upTo ORDER BY "Sequence"
                """;
            var upTo = command.CreateParameter();
            upTo.ParameterName = "@upTo";
            upTo.Value = upToSequence ?? long.MaxValue;
            command.Parameters.Add(upTo);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            long count = 0, expected = 1;
            var previous = AuditEvent.GenesisHash;
            var keyed = false;
            var vouched = (Sequence: 0L, Hash: AuditEvent.GenesisHash);
            while (await reader.ReadAsync(cancellationToken))
            {
                count++;
                var sequence = reader.GetInt64(0);
                var storedPrevious = reader.GetString(12);
                var stored = reader.GetString(13);
                var keyId = Text(reader, 14);
                var keyProblem = KeyProblem(keyId, keyed, keys, out var key);
                var problem = Check(sequence, expected, storedPrevious, previous) ?? keyProblem;
                if (problem is null)
                {
                    var recomputed = AuditHasher.Compute(sequence, DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc),
                        reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetGuid(5),
                        reader.GetString(6), reader.GetString(7), reader.GetString(8), Text(reader, 9), Text(reader, 10), Text(reader, 11), storedPrevious, key);
                    if (!string.Equals(recomputed, stored, StringComparison.Ordinal))
                        problem = keyId is null
                            ? $"content does not match its hash (stored {stored}, computed {recomputed}): the event was altered"
                            : $"content does not match its keyed hash (key {keyId}; stored {stored}, computed {recomputed}): the event was altered or re-hashed without the chain key";
                }

                if (problem is not null)
                    return new AuditVerification(count, expected - 1, previous, sequence, problem);

                // Only a rewrite of events the key does not protect (hashed before keying) gets this far.
                if (checkpoints.Disagreeing(sequence, stored) is { } contradicted)
                    return new AuditVerification(count, vouched.Sequence, vouched.Hash, vouched.Sequence + 1,
                        $"the chain's hash at #{sequence} ({stored}) differs from the {contradicted.Describe()} ({contradicted.Hash}): " +
                        $"an event in #{vouched.Sequence + 1}…#{sequence} was rewritten");
                if (checkpoints.Vouches(sequence))
                    vouched = (sequence, stored);
                keyed |= keyId is not null;
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

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

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

    private static string? KeyProblem(string? keyId, bool keyedBefore, AuditChainKeyRing? keys, out AuditChainKey? key)
    {
        key = null;
        if (keyId is null)
            // Once keyed, always keyed: an unkeyed event after keyed ones was re-hashed by someone without the key.
            return keyedBefore ? "the event carries a plain hash although earlier events are keyed: it was re-hashed without the chain key" : null;
        if (keys is null)
            return $"the event is hashed with chain key {keyId} and no key ring is available to verify it";
        return keys.TryGet(keyId, out key!)
            ? null
            : $"the event names chain key {keyId}, which is not in the key ring ({AuditChainKeyRing.FileName} or TrialFlow:Audit:ChainKey)";
    }
}
