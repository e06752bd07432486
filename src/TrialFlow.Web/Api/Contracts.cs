using TrialFlow.Core.Audit;
using TrialFlow.Core.Trials;

namespace TrialFlow.Web.Api;

// Request and response shapes of the REST API. Entities never cross the wire.

public sealed record TrialResponse(Guid Id, string ProtocolId, string Sponsor, string Title);

public sealed record VisitDefinitionResponse(Guid Id, string VisitKey, string Name, int NominalDay, int WindowBeforeDays, int WindowAfterDays);

public sealed record SiteResponse(Guid Id, Guid TrialId, string SiteNumber, string Name, string Country, string TimeZone, IReadOnlyList<string> AeTitles, SiteStatus Status);

public sealed record SubjectResponse(Guid Id, Guid TrialId, Guid SiteId, string SubjectKey, SubjectStatus Status);

public sealed record VisitResponse(Guid Id, string VisitKey, string Name, DateOnly? VisitDate, VisitStatus Status);

public sealed record SubjectDetailResponse(Guid Id, Guid TrialId, Guid SiteId, string SubjectKey, SubjectStatus Status, IReadOnlyList<VisitResponse> Visits);

public sealed record CreateSubjectRequest(string SubjectKey, SubjectStatus Status = SubjectStatus.Screening);

public sealed record ChangeSubjectStatusRequest(SubjectStatus Status, string? Reason);

public sealed record SiteSummary(Guid SiteId, string SiteNumber, string Name, string Country, int Subjects, int Studies);

public sealed record TrialDashboard(TrialResponse Trial, int Sites, int Subjects, int Studies, IReadOnlyDictionary<string, int> StudiesByStatus, IReadOnlyList<SiteSummary> PerSite);

public sealed record AuditEventResponse(long Sequence, DateTime OccurredAt, string ActorId, string ActorName, string ActorRole, Guid? SiteId,
    string Action, string EntityType, string EntityId, string? OldValues, string? NewValues, string? Reason, string Hash)
{
    public static AuditEventResponse From(AuditEvent e) =>
        new(e.Sequence, e.OccurredAt, e.ActorId, e.ActorName, e.ActorRole, e.SiteId, e.Action, e.EntityType, e.EntityId, e.OldValues, e.NewValues, e.Reason, e.Hash);
}

public sealed record UserResponse(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<Guid> Sites, bool LockedOut, IReadOnlyList<Guid> Trials);

/// <param name="Trials">The trials the user works on; a user on none sees no trial (administrators see all without).</param>
public sealed record CreateUserRequest(string UserName, string DisplayName, string Role, IReadOnlyList<Guid>? Sites, IReadOnlyList<Guid>? Trials = null);

public sealed record CreatedUserResponse(UserResponse User, string InitialPassword);
