using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Intake;

/// <summary>Held objects: listed (one by one or grouped by study) for those who monitor intake, decided by data managers.</summary>
public static class QuarantineApi
{
    public static IEndpointRouteBuilder MapQuarantineApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/quarantine").WithTags("Quarantine");
        api.MapGet("/", List).WithName("ListQuarantine").RequireAuthorization(Policies.TrialRead)
            .WithSummary("Held objects one by one, oldest first (at most 500); studyKey narrows to one study.");
        api.MapGet("/studies", Studies).WithName("ListQuarantineStudies").RequireAuthorization(Policies.TrialRead)
            .WithSummary("Held objects grouped by study and site, the most recently received first, a page at a time (take: at most 500 groups).");
        api.MapPost("/release", ReleaseMany).WithName("ReleaseQuarantineItems").RequireAuthorization(Policies.ResolveQuarantine)
            .WithSummary("Release many objects with one resolution: to a subject of their site, or without one when every object was held as ProcessingFailed.");
        api.MapPost("/reject", RejectMany).WithName("RejectQuarantineItems").RequireAuthorization(Policies.ResolveQuarantine)
            .WithSummary("Reject many objects with one reason; their identified bytes are deleted.");
        api.MapPost("/{itemId:guid}/release", Release).WithName("ReleaseQuarantineItem").RequireAuthorization(Policies.ResolveQuarantine)
            .WithSummary("Assign the subject (and visit), or none for an object held as ProcessingFailed, and send the object through intake again.");
        api.MapPost("/{itemId:guid}/reject", Reject).WithName("RejectQuarantineItem").RequireAuthorization(Policies.ResolveQuarantine)
            .WithSummary("Reject with a reason; the identified bytes are deleted.");
        return endpoints;
    }

    private static async Task<Ok<List<QuarantineItemResponse>>> List(TrialFlowDbContext db, QuarantineStatus? status, string? studyKey, CancellationToken ct)
    {
        var query = db.QuarantineItems.AsNoTracking().Where(q => q.Status == (status ?? QuarantineStatus.Open));
        if (!string.IsNullOrWhiteSpace(studyKey))
            query = query.Where(q => q.StudyKey == studyKey);
        var items = await query.OrderBy(q => q.ReceivedAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(items.Select(QuarantineItemResponse.From).ToList());
    }

    private static async Task<Ok<QuarantineStudyPage>> Studies(TrialFlowDbContext db, QuarantineStatus? status, int? skip, int? take, CancellationToken ct) =>
        TypedResults.Ok(await QuarantineStudies.ListAsync(db, status ?? QuarantineStatus.Open, skip ?? 0, take ?? QuarantineStudies.DefaultPageSize, ct));

    private static async Task<Results<Ok<QuarantineBatchResult>, NotFound<ProblemDetails>, ProblemHttpResult>> ReleaseMany(
        ReleaseQuarantineItemsRequest request, QuarantineBatchDecisions batch, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await batch.ReleaseAsync(request.ToSelection(), request.SubjectId, request.VisitId, request.Resolution, ct));
        }
        catch (QuarantineBatchRefusedException e)
        {
            return Refused<QuarantineBatchResult>(e);
        }
    }

    private static async Task<Results<Ok<QuarantineBatchResult>, NotFound<ProblemDetails>, ProblemHttpResult>> RejectMany(
        RejectQuarantineItemsRequest request, QuarantineBatchDecisions batch, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await batch.RejectAsync(request.ToSelection(), request.Reason, ct));
        }
        catch (QuarantineBatchRefusedException e)
        {
            return Refused<QuarantineBatchResult>(e);
        }
    }

    private static async Task<Results<Ok<QuarantineItemResponse>, NotFound<ProblemDetails>, ProblemHttpResult>> Release(
        Guid itemId, ReleaseQuarantineRequest request, QuarantineBatchDecisions batch, TrialFlowDbContext db, CancellationToken ct)
    {
        try
        {
            var outcome = (await batch.ReleaseAsync(QuarantineSelection.Of(itemId), request.SubjectId, request.VisitId, request.Resolution, ct)).Items[0];
            return await DecidedAsync(db, outcome, ct);
        }
        catch (QuarantineBatchRefusedException e)
        {
            return Refused<QuarantineItemResponse>(e);
        }
    }

    private static async Task<Results<Ok<QuarantineItemResponse>, NotFound<ProblemDetails>, ProblemHttpResult>> Reject(
        Guid itemId, RejectQuarantineRequest request, QuarantineBatchDecisions batch, TrialFlowDbContext db, CancellationToken ct)
    {
        try
        {
            var outcome = (await batch.RejectAsync(QuarantineSelection.Of(itemId), request.Reason, ct)).Items[0];
            return await DecidedAsync(db, outcome, ct);
        }
        catch (QuarantineBatchRefusedException e)
        {
            return Refused<QuarantineItemResponse>(e);
        }
    }

    /// <summary>A single item's answer: the item as decided, or 409 with why it was not (already decided, bytes unreadable).</summary>
    private static async Task<Results<Ok<QuarantineItemResponse>, NotFound<ProblemDetails>, ProblemHttpResult>> DecidedAsync(
        TrialFlowDbContext db, QuarantineItemOutcome outcome, CancellationToken ct)
    {
        if (!outcome.Decided)
            return TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status409Conflict);
        var item = await db.QuarantineItems.AsNoTracking().SingleAsync(q => q.Id == outcome.ItemId, ct);
        return TypedResults.Ok(QuarantineItemResponse.From(item));
    }

    private static Results<Ok<T>, NotFound<ProblemDetails>, ProblemHttpResult> Refused<T>(QuarantineBatchRefusedException e) => e.NothingFound
        ? TypedResults.NotFound(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = e.Message })
        : TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The decision was refused; nothing was decided");
}

/// <summary>Release one object: to a subject (and visit) of its site, or, without a subject, as it first came (ProcessingFailed only).</summary>
public sealed record ReleaseQuarantineRequest(Guid? SubjectId, Guid? VisitId, string Resolution);

public sealed record RejectQuarantineRequest(string Reason);

/// <summary>Release the named objects (by id, or every open object of a study by its key) with one resolution.</summary>
public sealed record ReleaseQuarantineItemsRequest(IReadOnlyList<Guid>? ItemIds, IReadOnlyList<string>? StudyKeys, Guid? SubjectId, Guid? VisitId, string Resolution)
{
    public QuarantineSelection ToSelection() => new(ItemIds ?? [], StudyKeys ?? []);
}

/// <summary>Reject the named objects (by id, or every open object of a study by its key) with one reason.</summary>
public sealed record RejectQuarantineItemsRequest(IReadOnlyList<Guid>? ItemIds, IReadOnlyList<string>? StudyKeys, string Reason)
{
    public QuarantineSelection ToSelection() => new(ItemIds ?? [], StudyKeys ?? []);
}

public sealed record QuarantineItemResponse(Guid Id, Guid SiteId, IntakeChannel Channel, QuarantineReason Reason, string Detail, DateTime ReceivedAt,
    string? Modality, DateOnly? StudyDate, QuarantineStatus Status, string? Resolution, string? StudyKey, int? SeriesNumber, string? PatientIdHint)
{
    public static QuarantineItemResponse From(QuarantineItem q) =>
        new(q.Id, q.SiteId, q.Channel, q.Reason, q.Detail, q.ReceivedAt, q.Modality, q.StudyDate, q.Status, q.Resolution, q.StudyKey, q.SeriesNumber, q.PatientIdHint);
}
