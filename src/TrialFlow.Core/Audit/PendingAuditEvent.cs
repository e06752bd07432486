using TrialFlow.Core.Access;

namespace TrialFlow.Core.Audit;

/// <summary>An audit event collected during a unit of work, before it gets its place in the chain.</summary>
public sealed record PendingAuditEvent(
    Actor Actor,
    string Action,
    string EntityType,
    string EntityId,
    Guid? SiteId,
    string? OldValues,
    string? NewValues,
    string? Reason);

/// <summary>Well-known actions of explicit (non-record) audit events.</summary>
public static class AuditActions
{
    public const string Create = nameof(Create);
    public const string Update = nameof(Update);
    public const string Delete = nameof(Delete);
    public const string SignIn = nameof(SignIn);
    public const string SignInFailed = nameof(SignInFailed);
    public const string SignOut = nameof(SignOut);
    public const string LockedOut = nameof(LockedOut);
}

/// <summary>A submitted record was changed without a reason. Nothing was saved.</summary>
public sealed class AuditReasonRequiredException(string entityType, string entityId)
    : InvalidOperationException($"{entityType} {entityId} was already submitted: changing it requires a reason. Nothing was saved.")
{
    public string EntityType { get; } = entityType;

    public string EntityId { get; } = entityId;
}
