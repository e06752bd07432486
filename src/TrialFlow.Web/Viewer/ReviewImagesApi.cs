using System.Security.Claims;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Web.DicomWeb;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Viewer;

/// <summary>
/// The viewer for blinded reviewers (WADO-RS is for trial staff): a reader reaches manifest and frames only through
/// their own read task, an adjudicator only through an adjudication assigned to them. Anything not visible through
/// that task or adjudication is 404, whoever asks.
/// </summary>
public static class ReviewImagesApi
{
    private delegate Task<IReadOnlyList<ViewerStudy>?> ManifestOf(ReaderImageAccess images, Guid id, string userId, CancellationToken ct);

    private delegate Task<string?> InstanceOf(ReaderImageAccess images, Guid id, string userId, Guid studyId, string sopInstanceUid, CancellationToken ct);

    public static IEndpointRouteBuilder MapReviewImagesApi(this IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "/api/review/tasks/{id:guid}", Policies.Reading, "ReadTask",
            "The task's study beside the reader's own baseline of the subject: series, geometry and frame URLs.",
            (images, id, user, ct) => images.ManifestAsync(id, user, ct),
            (images, id, user, study, sop, ct) => images.ArchivedInstanceAsync(id, user, study, sop, ct));
        Map(endpoints, "/api/review/adjudications/{id:guid}", Policies.Adjudicate, "Adjudication",
            "The adjudicated study beside the subject's baseline: series, geometry and frame URLs.",
            (images, id, user, ct) => images.AdjudicationManifestAsync(id, user, ct),
            (images, id, user, study, sop, ct) => images.AdjudicationInstanceAsync(id, user, study, sop, ct));
        return endpoints;
    }

    private static void Map(IEndpointRouteBuilder endpoints, string prefix, string policy, string name, string summary, ManifestOf manifestOf, InstanceOf instanceOf)
    {
        var api = endpoints.MapGroup(prefix).WithTags("Central review").RequireAuthorization(policy);
        api.MapGet("/images", async (Guid id, ClaimsPrincipal user, ReaderImageAccess images, CancellationToken ct) =>
                await manifestOf(images, id, UserId(user), ct) is { } manifest ? Results.Ok(manifest) : Results.NotFound())
            .WithName($"{name}Images").WithSummary(summary);
        api.MapGet("/frames/{studyId:guid}/{sopInstanceUid}/{frames}", async (Guid id, Guid studyId, string sopInstanceUid, string frames, HttpRequest request, ClaimsPrincipal user, ReaderImageAccess images, IntakeStores stores, CancellationToken ct) =>
                await instanceOf(images, id, UserId(user), studyId, sopInstanceUid, ct) is { } hash
                    ? FrameRetrieval.Respond(stores, hash, frames, request)
                    : Results.NotFound())
            .WithName($"{name}Frames");
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
}
