using System.Security.Claims;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Web.DicomWeb;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Viewer;

/// <summary>
/// The viewer for adjudicators: manifest and frames of the adjudicated study and the subject's baseline, reached only
/// through an adjudication assigned to the caller. Anything else is 404, whoever asks.
/// </summary>
public static class AdjudicationImagesApi
{
    public static IEndpointRouteBuilder MapAdjudicationImagesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/review/adjudications/{adjudicationId:guid}").WithTags("Central review").RequireAuthorization(Policies.Adjudicate);
        api.MapGet("/images", Manifest).WithName("AdjudicationImages")
            .WithSummary("The adjudicated study beside the subject's baseline: series, geometry and frame URLs.");
        api.MapGet("/frames/{studyId:guid}/{sopInstanceUid}/{frames}", Frames).WithName("AdjudicationFrames");
        return endpoints;
    }

    private static async Task<IResult> Manifest(Guid adjudicationId, ClaimsPrincipal user, ReaderImageAccess images, CancellationToken ct) =>
        await images.AdjudicationManifestAsync(adjudicationId, UserId(user), ct) is { } manifest ? Results.Ok(manifest) : Results.NotFound();

    private static async Task<IResult> Frames(Guid adjudicationId, Guid studyId, string sopInstanceUid, string frames, HttpRequest request, ClaimsPrincipal user, ReaderImageAccess images, IntakeStores stores, CancellationToken ct) =>
        await images.AdjudicationInstanceAsync(adjudicationId, UserId(user), studyId, sopInstanceUid, ct) is { } hash
            ? FrameRetrieval.Respond(stores, hash, frames, request)
            : Results.NotFound();

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
}
