using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using TrialFlow.Core.Audit.Anchoring;

namespace TrialFlow.Core.Audit;

/// <summary>
/// Computes an event's hash over its canonical content: every field in a fixed order, each prefixed by its
/// length (so no two different events can serialize alike), then the previous event's hash. Events written before
/// the chain was keyed carry a plain SHA-256; since then an HMAC-SHA256 with a chain key that is not in the
/// database, over the same content followed by the key's id, so only the key's holder can make a hash that verifies.
/// </summary>
public static class AuditHasher
{
    private const int NullMarker = -1;

    /// <summary>The legacy, unkeyed hash of an event (what events without a key id carry).</summary>
    public static string Compute(AuditEvent e) => Compute(e, key: null);

    public static string Compute(AuditEvent e, AuditChainKey? key) =>
        Compute(e.Sequence, e.OccurredAt, e.ActorId, e.ActorName, e.ActorRole, e.SiteId, e.Action,
            e.EntityType, e.EntityId, e.OldValues, e.NewValues, e.Reason, e.PreviousHash, key);

    /// <param name="key">The chain key for a keyed hash; null for the legacy plain SHA-256.</param>
    public static string Compute(
        long sequence, DateTime occurredAt, string actorId, string actorName, string actorRole, Guid? siteId,
        string action, string entityType, string entityId, string? oldValues, string? newValues, string? reason,
        string previousHash, AuditChainKey? key = null)
    {
        var size = 8 + 8 + 4 + 16
            + Measure(actorId) + Measure(actorName) + Measure(actorRole) + Measure(action) + Measure(entityType)
            + Measure(entityId) + Measure(oldValues) + Measure(newValues) + Measure(reason) + Measure(previousHash)
            + Measure(key?.Id);
        var rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var buffer = rented.AsSpan(0, size);
            var at = 0;
            BinaryPrimitives.WriteInt64LittleEndian(buffer[at..], sequence); at += 8;
            BinaryPrimitives.WriteInt64LittleEndian(buffer[at..], occurredAt.Ticks); at += 8;
            if (siteId is { } site)
            {
                BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], 16); at += 4;
                site.TryWriteBytes(buffer[at..]); at += 16;
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], NullMarker); at += 4;
                buffer.Slice(at, 16).Clear(); at += 16;
            }

            at = Write(buffer, at, actorId);
            at = Write(buffer, at, actorName);
            at = Write(buffer, at, actorRole);
            at = Write(buffer, at, action);
            at = Write(buffer, at, entityType);
            at = Write(buffer, at, entityId);
            at = Write(buffer, at, oldValues);
            at = Write(buffer, at, newValues);
            at = Write(buffer, at, reason);
            at = Write(buffer, at, previousHash);

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            if (key is null)
            {
                SHA256.HashData(buffer[..at], hash);
            }
            else
            {
                // The key id is hashed too: relabelling an event with another key's id breaks it.
                at = Write(buffer, at, key.Id);
                key.Mac(buffer[..at], hash);
            }
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Measure(string? value) => 4 + (value is null ? 0 : Encoding.UTF8.GetMaxByteCount(value.Length));

    private static int Write(Span<byte> buffer, int at, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], NullMarker);
            return at + 4;
        }

        var written = Encoding.UTF8.GetBytes(value, buffer[(at + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], written);
        return at + 4 + written;
    }
}
