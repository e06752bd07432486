using System.Security.Claims;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Web.DicomWeb;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Viewer;

/// <summary>
/// The viewer for blinded readers: manifest and frames reached only through the reader's own read task (WADO-RS is for
/// trial staff). Anything not visible through the task is 404, whoever asks.
/// </summary>
public static class ReadTaskImagesApi
{
    public static IEndpointRouteBuilder MapReadTaskImagesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/review/tasks/{taskId:guid}").WithTags("Central review").RequireAuthorization(Policies.Reading);
        api.MapGet("/images", Manifest).WithName("ReadTaskImages")
            .WithSummary("The task's study beside the reader's own baseline of the subject: series, geometry and frame URLs.");
        api.MapGet("/frames/{studyId:guid}/{sopInstanceUid}/{frames}", Frames).WithName("ReadTaskFrames");
        return endpoints;
    }

    private static async Task<IResult> Manifest(Guid taskId, ClaimsPrincipal user, ReaderImageAccess images, CancellationToken ct) =>
        await images.ManifestAsync(taskId, ReaderId(user), ct) is { } manifest ? Results.Ok(manifest) : Results.NotFound();

    private static async Task<IResult> Frames(Guid taskId, Guid studyId, string sopInstanceUid, string frames, HttpRequest request, ClaimsPrincipal user, ReaderImageAccess images, IntakeStores stores, CancellationToken ct) =>
        await images.ArchivedInstanceAsync(taskId, ReaderId(user), studyId, sopInstanceUid, ct) is { } hash
            ? FrameRetrieval.Respond(stores, hash, frames, request)
            : Results.NotFound();

    private static string ReaderId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
}
