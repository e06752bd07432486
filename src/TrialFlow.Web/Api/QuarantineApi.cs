using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Intake;
using TrialFlow.Core.Persistence;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Api;

/// <summary>Held objects: listed for those who monitor intake, decided by data managers.</summary>
public static class QuarantineApi
{
    public static IEndpointRouteBuilder MapQuarantineApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/quarantine").WithTags("Quarantine");
        api.MapGet("/", List).WithName("ListQuarantine").RequireAuthorization(Policies.TrialRead);
        api.MapPost("/{itemId:guid}/release", Release).WithName("ReleaseQuarantineItem").RequireAuthorization(Policies.ResolveQuarantine)
            .WithSummary("Assign the subject (and visit) and send the object through intake again.");
        api.MapPost("/{itemId:guid}/reject", Reject).WithName("RejectQuarantineItem").RequireAuthorization(Policies.ResolveQuarantine)
            .WithSummary("Reject with a reason; the identified bytes are deleted.");
        return endpoints;
    }

    private static async Task<Ok<List<QuarantineItemResponse>>> List(TrialFlowDbContext db, QuarantineStatus? status, CancellationToken ct)
    {
        var query = db.QuarantineItems.AsNoTracking();
        query = query.Where(q => q.Status == (status ?? QuarantineStatus.Open));
        var items = await query.OrderBy(q => q.ReceivedAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(items.Select(QuarantineItemResponse.From).ToList());
    }

    private static async Task<Results<Ok<QuarantineItemResponse>, NotFound, ProblemHttpResult>> Release(
        Guid itemId, ReleaseQuarantineRequest request, TrialFlowDbContext db, QuarantineDecisions decisions, CancellationToken ct)
    {
        var item = await db.QuarantineItems.SingleOrDefaultAsync(q => q.Id == itemId, ct);
        if (item is null)
            return TypedResults.NotFound();
        var subject = await db.Subjects.AsNoTracking().SingleOrDefaultAsync(s => s.Id == request.SubjectId, ct);
        if (subject is null || subject.SiteId != item.SiteId)
            return TypedResults.Problem("The subject must be a subject of the site that sent the object.", statusCode: StatusCodes.Status422UnprocessableEntity);
        if (request.VisitId is { } visit && !await db.Visits.AnyAsync(v => v.Id == visit && v.SubjectId == subject.Id, ct))
            return TypedResults.Problem("The visit must be a visit of that subject.", statusCode: StatusCodes.Status422UnprocessableEntity);
        try
        {
            await decisions.ReleaseAsync(db, item, subject.Id, request.VisitId, request.Resolution, ct);
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Ok(QuarantineItemResponse.From(item));
    }

    private static async Task<Results<Ok<QuarantineItemResponse>, NotFound, ProblemHttpResult>> Reject(
        Guid itemId, RejectQuarantineRequest request, TrialFlowDbContext db, QuarantineDecisions decisions, CancellationToken ct)
    {
        var item = await db.QuarantineItems.SingleOrDefaultAsync(q => q.Id == itemId, ct);
        if (item is null)
            return TypedResults.NotFound();
        try
        {
            await decisions.RejectAsync(db, item, request.Reason, ct);
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Ok(QuarantineItemResponse.From(item));
    }
}

public sealed record ReleaseQuarantineRequest(Guid SubjectId, Guid? VisitId, string Resolution);

public sealed record RejectQuarantineRequest(string Reason);

public sealed record QuarantineItemResponse(Guid Id, Guid SiteId, IntakeChannel Channel, QuarantineReason Reason, string Detail, DateTime ReceivedAt,
    string? Modality, DateOnly? StudyDate, QuarantineStatus Status, string? Resolution)
{
    public static QuarantineItemResponse From(QuarantineItem q) =>
        new(q.Id, q.SiteId, q.Channel, q.Reason, q.Detail, q.ReceivedAt, q.Modality, q.StudyDate, q.Status, q.Resolution);
}
