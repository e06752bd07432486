using TrialFlow.Core.Audit.Anchoring;

namespace TrialFlow.Core.Audit;

/// <summary>
/// One append-only entry of the audit trail. Events form a hash chain: <see cref="Hash"/> is the HMAC-SHA256 (with
/// the chain key <see cref="KeyId"/>; plain SHA-256 for events from before keying) of the event's canonical content
/// including <see cref="PreviousHash"/>, so changing, removing or reordering any stored event breaks every link after
/// it. The database refuses UPDATE and DELETE on this table; signed checkpoints outside it catch truncation.
/// </summary>
public sealed class AuditEvent
{
    /// <summary>The hash that precedes the first event of a chain.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private AuditEvent() { }

    internal AuditEvent(long sequence, DateTime occurredAt, PendingAuditEvent pending, string previousHash, AuditChainKey? key)
    {
        Sequence = sequence;
        OccurredAt = AuditClock.Truncate(occurredAt);
        ActorId = pending.Actor.UserId;
        ActorName = pending.Actor.UserName;
        ActorRole = pending.Actor.Role;
        SiteId = pending.SiteId;
        Action = pending.Action;
        EntityType = pending.EntityType;
        EntityId = pending.EntityId;
        OldValues = pending.OldValues;
        NewValues = pending.NewValues;
        Reason = pending.Reason;
        PreviousHash = previousHash;
        KeyId = key?.Id;
        Hash = AuditHasher.Compute(this, key);
    }

    /// <summary>Position in the chain, 1-based and gap-free.</summary>
    public long Sequence { get; private set; }

    /// <summary>UTC, truncated to microseconds so every supported database stores it exactly.</summary>
    public DateTime OccurredAt { get; private set; }

    public string ActorId { get; private set; } = "";

    public string ActorName { get; private set; } = "";

    public string ActorRole { get; private set; } = "";

    public Guid? SiteId { get; private set; }

    /// <summary>Create, Update, Delete for record changes; SignIn, SignInFailed, Download… for explicit events.</summary>
    public string Action { get; private set; } = "";

    public string EntityType { get; private set; } = "";

    public string EntityId { get; private set; } = "";

    /// <summary>JSON object of the changed properties' values before the change (null for a create).</summary>
    public string? OldValues { get; private set; }

    /// <summary>JSON object of the changed properties' values after the change (null for a delete).</summary>
    public string? NewValues { get; private set; }

    public string? Reason { get; private set; }

    public string PreviousHash { get; private set; } = GenesisHash;

    public string Hash { get; private set; } = "";

    /// <summary>Id of the chain key that made <see cref="Hash"/>; null for events hashed before the chain was keyed.</summary>
    public string? KeyId { get; private set; }
}

internal static class AuditClock
{
    // PostgreSQL timestamps hold microseconds; .NET ticks are 100 ns. Truncating before hashing keeps the
    // stored value and the hashed value identical on every provider.
    public static DateTime Truncate(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
}
