using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Queries;

/// <summary>
/// Queries between sites, CRO and sponsor: inbox (filtered, paged), detail with thread, raising, the lifecycle steps,
/// aging and sponsor metrics. Site scoping hides other sites' queries (404); Inspectors read only (403 on every write);
/// blinded readers get nothing. Refused transitions are 409 naming the query and its status; nothing is saved.
/// </summary>
public static class QueriesApi
{
    public static IEndpointRouteBuilder MapQueriesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/queries").WithTags("Queries");
        api.MapGet("/", Inbox).WithName("QueryInbox").RequireAuthorization(Policies.QueryRead)
            .WithSummary("Open queries first, oldest first; filter by site, status, category, addressed role, study, overdue.");
        api.MapGet("/{id:guid}", Detail).WithName("QueryDetail").RequireAuthorization(Policies.QueryRead);
        api.MapGet("/aging", Aging).WithName("QueryAging").RequireAuthorization(Policies.QueryRead)
            .WithSummary("Open queries per site: overdue, escalated, median and 90th percentile of business days open.");
        api.MapGet("/metrics", Metrics).WithName("QueryMetrics").RequireAuthorization(Policies.QueryRead)
            .WithSummary("Queries per site per 10 studies, business days to resolution, reopen rate, top categories.");
        api.MapGet("/notifications", Notifications).WithName("QueryNotifications").RequireAuthorization(Policies.QueryRead);
        api.MapPost("/", Raise).WithName("RaiseQuery").RequireAuthorization(Policies.QueryRaise);
        api.MapPost("/{id:guid}/answer", Answer).WithName("AnswerQuery").RequireAuthorization(Policies.QueryWork)
            .WithSummary("The addressed party answers; link the upload session (or study) that delivered a rescan or the missing data.");
        api.MapPost("/{id:guid}/resolve", Resolve).WithName("ResolveQuery").RequireAuthorization(Policies.QueryRaise);
        api.MapPost("/{id:guid}/reopen", Reopen).WithName("ReopenQuery").RequireAuthorization(Policies.QueryRaise);
        api.MapPost("/{id:guid}/close", Close).WithName("CloseQuery").RequireAuthorization(Policies.QueryRaise);
        api.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelQuery").RequireAuthorization(Policies.QueryRaise);
        return endpoints;
    }

    private static async Task<Ok<QueryInboxPage>> Inbox([AsParameters] InboxParameters p, TrialFlowDbContext db, TimeProvider time, CancellationToken ct) =>
        TypedResults.Ok(await QueryInbox.PageAsync(db, new QueryInboxFilter
        {
            SiteId = p.SiteId, Status = p.Status, Category = p.Category, AddressedTo = p.AddressedTo, StudyId = p.StudyId,
            OverdueOnly = p.Overdue ?? false, OpenOnly = p.Open ?? false, Page = p.Page ?? 0, PageSize = p.PageSize ?? 25,
        }, time.GetUtcNow().UtcDateTime, ct));

    private static async Task<Results<Ok<QueryDetailResponse>, NotFound>> Detail(Guid id, TrialFlowDbContext db, TimeProvider time, CancellationToken ct) =>
        await QueryDetailResponse.LoadAsync(db, id, time.GetUtcNow().UtcDateTime, ct) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound();

    private static async Task<Ok<QueryAgingReport>> Aging(TrialFlowDbContext db, TimeProvider time, CancellationToken ct) =>
        TypedResults.Ok(await QueryAging.ComputeAsync(db, time.GetUtcNow().UtcDateTime, ct));

    private static async Task<Ok<QueryMetricsReport>> Metrics(TrialFlowDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await QueryMetrics.ComputeAsync(db, ct));

    private static async Task<Ok<List<QueryNotificationResponse>>> Notifications(TrialFlowDbContext db, CancellationToken ct)
    {
        var role = db.Actor.Role;
        return TypedResults.Ok(await db.QueryNotifications.AsNoTracking().Where(n => n.RecipientRole == role).OrderByDescending(n => n.CreatedAt).Take(50)
            .Select(n => new QueryNotificationResponse(n.Id, n.QueryId, n.Title, n.CreatedAt)).ToListAsync(ct));
    }

    private static async Task<Created<QueryDetailResponse>> Raise(RaiseQueryRequest request, TrialFlowDbContext db, QueryService queries, TimeProvider time, CancellationToken ct)
    {
        var query = await queries.RaiseAsync(db, request.SiteId, new QueryDraft(request.Category, request.Title, request.Text)
        {
            Priority = request.Priority ?? QueryPriority.Normal,
            AddressedTo = request.AddressedTo ?? Core.Identity.TrialFlowRoles.SiteUser,
            StudyId = request.StudyId,
            SubjectId = request.SubjectId,
            VisitId = request.VisitId,
            SeriesInstanceUid = request.SeriesInstanceUid,
        }, ct);
        return TypedResults.Created($"/api/queries/{query.Id}", (await QueryDetailResponse.LoadAsync(db, query.Id, time.GetUtcNow().UtcDateTime, ct))!);
    }

    private static Task<Ok<QueryDetailResponse>> Answer(Guid id, AnswerQueryRequest request, TrialFlowDbContext db, QueryService queries, TimeProvider time, CancellationToken ct) =>
        Step(db, id, time, () => queries.AnswerAsync(db, id, request.Text, request.UploadSessionId, request.StudyId, ct), ct);

    private static Task<Ok<QueryDetailResponse>> Resolve(Guid id, QueryNoteRequest request, TrialFlowDbContext db, QueryService queries, TimeProvider time, CancellationToken ct) =>
        Step(db, id, time, () => queries.ResolveAsync(db, id, request.Text, ct), ct);

    private static Task<Ok<QueryDetailResponse>> Reopen(Guid id, QueryNoteRequest request, TrialFlowDbContext db, QueryService queries, TimeProvider time, CancellationToken ct) =>
        Step(db, id, time, () => queries.ReopenAsync(db, id, request.Text ?? "", ct), ct);

    private static Task<Ok<QueryDetailResponse>> Close(Guid id, QueryNoteRequest request, TrialFlowDbContext db, QueryService queries, TimeProvider time, CancellationToken ct) =>
        Step(db, id, time, () => queries.CloseAsync(db, id, request.Text, ct), ct);

    private static Task<Ok<QueryDetailResponse>> Cancel(Guid id, QueryNoteRequest request, TrialFlowDbContext db, QueryService queries, TimeProvider time, CancellationToken ct) =>
        Step(db, id, time, () => queries.CancelAsync(db, id, request.Text ?? "", ct), ct);

    // Refusals (not found, not allowed, wrong status, empty text) are exceptions the domain handler maps to 404/403/409/400.
    private static async Task<Ok<QueryDetailResponse>> Step(TrialFlowDbContext db, Guid id, TimeProvider time, Func<Task<Query>> step, CancellationToken ct)
    {
        await step();
        return TypedResults.Ok((await QueryDetailResponse.LoadAsync(db, id, time.GetUtcNow().UtcDateTime, ct))!);
    }
}

public sealed record InboxParameters(Guid? SiteId, QueryStatus? Status, QueryCategory? Category, string? AddressedTo, Guid? StudyId, bool? Overdue, bool? Open, int? Page, int? PageSize);

public sealed record RaiseQueryRequest(Guid SiteId, QueryCategory Category, string Title, string Text, QueryPriority? Priority = null, string? AddressedTo = null,
    Guid? StudyId = null, Guid? SubjectId = null, Guid? VisitId = null, string? SeriesInstanceUid = null);

public sealed record AnswerQueryRequest(string Text, Guid? UploadSessionId = null, Guid? StudyId = null);

/// <summary>The text of a step: a note (resolve, close; optional) or a reason (reopen, cancel; required).</summary>
public sealed record QueryNoteRequest(string? Text);

public sealed record QueryNotificationResponse(Guid Id, Guid QueryId, string Title, DateTime CreatedAt);

public sealed record QueryMessageResponse(int Number, QueryMessageKind Kind, string Text, string AuthorName, string AuthorRole, DateTime At, Guid? StudyId, Guid? UploadSessionId);

public sealed record QuerySourceFindingResponse(string RuleId, string Severity, string Message, string? SeriesInstanceUid);

public sealed record QueryDetailResponse(Guid Id, string Reference, Guid TrialId, Guid SiteId, string SiteNumber, string SiteTimeZone, QueryCategory Category,
    QueryPriority Priority, QueryStatus Status, string Title, string AddressedTo, string RaisedBy, string RaisedByRole, DateTime RaisedAt, DateOnly DueDate,
    DateTime OverdueFrom, bool Overdue, int AgeBusinessDays, int ReopenCount, DateTime? EscalatedAt, Guid? StudyId, string? StudyInstanceUid, string? SubjectKey,
    Guid? LinkedStudyId, Guid? LinkedUploadSessionId, IReadOnlyList<QuerySourceFindingResponse> Findings, IReadOnlyList<QueryMessageResponse> Messages)
{
    public static async Task<QueryDetailResponse?> LoadAsync(TrialFlowDbContext db, Guid id, DateTime nowUtc, CancellationToken ct)
    {
        var q = await db.Queries.AsNoTracking().Include(x => x.Messages).Include(x => x.Findings).AsSplitQuery().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (q is null)
            return null;
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == q.SiteId, ct);
        var calendar = QueryService.CalendarOf(site);
        var studyUid = q.StudyId is { } studyId ? await db.Studies.Where(s => s.Id == studyId).Select(s => s.StudyInstanceUid).SingleOrDefaultAsync(ct) : null;
        var subject = q.SubjectId is { } subjectId ? await db.Subjects.Where(s => s.Id == subjectId).Select(s => s.SubjectKey).SingleOrDefaultAsync(ct) : null;
        var end = q.ResolvedAt ?? q.CancelledAt ?? q.ClosedAt ?? nowUtc;
        return new QueryDetailResponse(q.Id, q.Reference, q.TrialId, q.SiteId, site.SiteNumber, site.TimeZone, q.Category, q.Priority, q.Status, q.Title, q.AddressedTo,
            q.RaisedByName, q.RaisedByRole, q.RaisedAt, q.DueDate, q.OverdueFrom, q.IsOverdue(nowUtc), calendar.BusinessDaysBetween(q.RaisedLocalDate, calendar.LocalDate(end)),
            q.ReopenCount, q.EscalatedAt, q.StudyId, studyUid, subject, q.LinkedStudyId, q.LinkedUploadSessionId,
            q.Findings.Select(f => new QuerySourceFindingResponse(f.RuleId, f.Severity, f.Message, f.SeriesInstanceUid)).ToList(),
            q.Messages.OrderBy(m => m.Number).Select(m => new QueryMessageResponse(m.Number, m.Kind, m.Text, m.AuthorName, m.AuthorRole, m.At, m.StudyId, m.UploadSessionId)).ToList());
    }
}
