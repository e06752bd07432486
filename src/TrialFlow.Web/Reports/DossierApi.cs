using Microsoft.AspNetCore.Http.HttpResults;
using TrialFlow.Core.Persistence;
using TrialFlow.Reports.Dossier;
using TrialFlow.Reports.History;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Reports;

/// <summary>
/// PDF dossiers: one subject, or a zip of a site's subjects. Every download is recorded in the audit trail with the
/// file's SHA-256. Site scoping decides which subjects and sites the caller can reach (a monitor: their sites).
/// </summary>
public static class DossierApi
{
    public static IEndpointRouteBuilder MapDossierApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Dossiers").RequireAuthorization(Policies.DossierDownload);
        api.MapGet("/subjects/{subjectId:guid}/dossier", DownloadSubject).WithName("DownloadSubjectDossier")
            .WithSummary("The subject's PDF audit dossier as of a cut-off (default now; yyyyMMddTHHmmssZ or ISO 8601, UTC). The same cut-off gives the same file.");
        api.MapGet("/sites/{siteId:guid}/dossiers", DownloadSite).WithName("DownloadSiteDossiers")
            .WithSummary("A zip with the PDF dossier of every subject of the site, as of a cut-off.");
        return endpoints;
    }

    private static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> DownloadSubject(
        Guid subjectId, string? cutoff, TrialFlowDbContext db, DossierService dossiers, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!TryCutOff(cutoff, time, out var at, out var problem))
            return problem;
        var file = await dossiers.DownloadAsync(db, subjectId, at, ct);
        if (file is null)
            return TypedResults.NotFound();
        http.Response.Headers["X-Dossier-SHA256"] = file.Sha256;
        http.Response.Headers["X-Dossier-CutOff"] = HistoryFormat.CutOffStamp(file.History.CutOff);
        return TypedResults.File(file.Content, "application/pdf", file.FileName);
    }

    private static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> DownloadSite(
        Guid siteId, string? cutoff, TrialFlowDbContext db, DossierService dossiers, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!TryCutOff(cutoff, time, out var at, out var problem))
            return problem;
        var archive = await dossiers.DownloadSiteAsync(db, siteId, at, ct);
        if (archive is null)
            return TypedResults.NotFound();
        http.Response.Headers["X-Dossier-SHA256"] = archive.Sha256;
        return TypedResults.File(archive.Content, "application/zip", archive.FileName);
    }

    /// <summary>A cut-off in the future would let the "same" dossier change later: it is refused.</summary>
    private static bool TryCutOff(string? text, TimeProvider time, out DateTime cutOff, out ProblemHttpResult problem)
    {
        var now = time.GetUtcNow().UtcDateTime;
        problem = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            cutOff = HistoryFormat.CutOff(now);
            return true;
        }
        if (!HistoryFormat.TryParseCutOff(text, out cutOff))
        {
            problem = TypedResults.Problem($"The cut-off '{text}' is not a UTC time: use e.g. 20260601T080000Z or 2026-06-01T08:00:00Z. Nothing was generated.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid cut-off");
            return false;
        }
        if (cutOff > now)
        {
            problem = TypedResults.Problem($"The cut-off {HistoryFormat.Time(cutOff)} is in the future; a dossier covers records up to now at the latest. Nothing was generated.",
                statusCode: StatusCodes.Status400BadRequest, title: "Cut-off in the future");
            return false;
        }
        return true;
    }
}
