using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Viewer;

/// <summary>
/// The viewer's manifest for trial staff: one study, optionally beside another of the same subject (baseline vs
/// current), with frames served by WADO-RS. Site scoping applies as for every query: another site's study is 404.
/// </summary>
public static class ViewerApi
{
    public static IEndpointRouteBuilder MapViewerApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/viewer/studies/{studyId:guid}", Manifest).WithTags("Viewer").WithName("ViewerManifest")
            .RequireAuthorization(Policies.TrialRead)
            .WithSummary("Series, geometry, default window and frame URLs of a study (and, with ?compare=, another study of the same subject).");
        return endpoints;
    }

    private static async Task<IResult> Manifest(Guid studyId, Guid? compare, TrialFlowDbContext db, ViewerManifestBuilder builder, CancellationToken ct)
    {
        var ids = compare is { } other ? new[] { other, studyId } : [studyId];
        var studies = await db.Studies.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.SubjectId }).ToListAsync(ct);
        if (studies.All(s => s.Id != studyId))
            return Results.NotFound();
        if (compare is not null && (studies.Count != 2 || studies.Select(s => s.SubjectId).Distinct().Count() != 1))
            return Results.Problem($"study {compare} is not another study of the same subject", statusCode: StatusCodes.Status400BadRequest);
        var manifests = new List<ViewerStudy>();
        foreach (var id in ids)
            manifests.Add((await builder.BuildAsync(db, id, await LabelAsync(db, id, ct), WadoFrame, ct))!);
        return Results.Ok(manifests);
    }

    /// <summary>The timepoint as a reader names it: visit and study day, never the (shifted) calendar date alone.</summary>
    internal static async Task<string> LabelAsync(TrialFlowDbContext db, Guid studyId, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().Where(s => s.Id == studyId)
            .Select(s => new { s.StudyDay, Visit = db.Visits.Where(v => v.Id == s.VisitId).Select(v => v.Definition!.Name).FirstOrDefault() })
            .SingleAsync(ct);
        var day = study.StudyDay is { } d ? $"day {d}" : null;
        return string.Join(" · ", new[] { study.Visit ?? "Unscheduled", day }.Where(p => p is not null));
    }

    internal static string WadoFrame(ImagingStudy study, ImagingSeries series, ImagingInstance instance, int frame) =>
        $"/dicomweb/studies/{study.StudyInstanceUid}/series/{series.SeriesInstanceUid}/instances/{instance.SopInstanceUid}/frames/{frame}";
}
