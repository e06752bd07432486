using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Retrieval.Domain;
using TrialFlow.Retrieval.Jobs;
using TrialFlow.Retrieval.Pacs;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Retrieval;

/// <summary>
/// Retrospective pulls: a site's PACS connection, and pull jobs planned from a cohort file, run, paused, resumed, cancelled
/// and followed to their summary. Data managers, study managers and administrators, within their sites; a wrong value is
/// 400 naming it, a PACS that does not answer 502 with what it said, a step the job's state refuses 409.
/// </summary>
public static class RetrievalApi
{
    public static IEndpointRouteBuilder MapRetrievalApi(this IEndpointRouteBuilder endpoints)
    {
        var pacs = endpoints.MapGroup("/api/sites/{siteId:guid}/pacs").WithTags("Retrieval").RequireAuthorization(Policies.RetrospectivePull);
        pacs.MapGet("/", GetPacs).WithName("SitePacs").WithSummary("The site's PACS connection (never its password).");
        pacs.MapPut("/", SetPacs).WithName("SetSitePacs")
            .WithSummary("Register the site's PACS: AE title, host and port for C-FIND/C-MOVE/C-GET, and/or a DICOMweb URL with user and password.");
        pacs.MapPost("/check", CheckPacs).WithName("CheckSitePacs").WithSummary("Try the registered PACS: C-ECHO and a QIDO-RS search.");

        endpoints.MapPost("/api/sites/{siteId:guid}/pulls", Plan).WithTags("Retrieval").WithName("PlanPull")
            .RequireAuthorization(Policies.RetrospectivePull)
            .DisableAntiforgery() // bearer-token API for the CLI; the page plans through its circuit
            .WithSummary("Plan a pull from a cohort CSV (multipart: cohort, method move|get|dicomweb, optional pacs AE@HOST:PORT or dicomWebUrl, " +
                         "maxConcurrentStudies, maxBytesPerSecond): the PACS is queried, nothing is retrieved until the job is started.");
        var pulls = endpoints.MapGroup("/api/pulls").WithTags("Retrieval").RequireAuthorization(Policies.RetrospectivePull);
        pulls.MapGet("/", List).WithName("PullJobs").WithSummary("Pull jobs of your sites, newest first (optionally ?siteId=).");
        pulls.MapGet("/{jobId:guid}", Get).WithName("PullJob").WithSummary("A pull's progress and summary: per study and per subject, found, retrieved, archived, held and why.");
        pulls.MapPost("/{jobId:guid}/{command}", Change).WithName("ChangePullJob")
            .WithSummary("start, pause, resume, cancel or retry-failed.");
        return endpoints;
    }

    private static async Task<Results<Ok<PacsConnectionView>, NotFound>> GetPacs(Guid siteId, TrialFlowDbContext db, CancellationToken ct) =>
        await PacsRegistry.GetAsync(db, siteId, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Ok<PacsConnectionView>, NotFound>> SetPacs(Guid siteId, PacsConnectionRequest request, TrialFlowDbContext db, PacsRegistry registry,
        CancellationToken ct)
    {
        var site = await db.Sites.SingleOrDefaultAsync(s => s.Id == siteId, ct);
        return site is null ? TypedResults.NotFound() : TypedResults.Ok(await registry.SetAsync(db, site, request, ct));
    }

    private static async Task<Results<Ok<PacsCheck>, NotFound>> CheckPacs(Guid siteId, TrialFlowDbContext db, PacsRegistry registry, CancellationToken ct) =>
        await registry.CheckAsync(db, siteId, ct) is { } check ? TypedResults.Ok(check) : TypedResults.NotFound();

    // The form is read here rather than bound: a bound form makes routing answer 415 to a wrong content type before
    // authorization has said 403.
    private static async Task<Results<Created<PullSummary>, NotFound>> Plan(Guid siteId, HttpRequest request, TrialFlowDbContext db, PullJobs jobs, CancellationToken ct)
    {
        var site = await db.Sites.SingleOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null)
            return TypedResults.NotFound();
        var form = request.HasFormContentType ? PullForm.From(await request.ReadFormAsync(ct)) : new PullForm();
        if (form.Cohort is null)
            throw new PullRequestException("cohort", "send multipart/form-data with the cohort CSV in the field \"cohort\"");
        await using var csv = form.Cohort.OpenReadStream();
        var job = await jobs.PlanAsync(db, site, form.ToRequest(), form.Cohort.FileName, csv, ct);
        return TypedResults.Created($"/api/pulls/{job.Id}", (await PullSummary.LoadAsync(db, job.Id, ct))!);
    }

    private static async Task<Ok<IReadOnlyList<PullJobListing>>> List(Guid? siteId, TrialFlowDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await PullSummary.ListAsync(db, siteId, ct));

    private static async Task<Results<Ok<PullSummary>, NotFound>> Get(Guid jobId, TrialFlowDbContext db, CancellationToken ct) =>
        await PullSummary.LoadAsync(db, jobId, ct) is { } summary ? TypedResults.Ok(summary) : TypedResults.NotFound();

    private static async Task<Ok<PullSummary>> Change(Guid jobId, string command, TrialFlowDbContext db, PullJobs jobs, CancellationToken ct)
    {
        var parsed = command.ToLowerInvariant() switch
        {
            "start" => PullCommand.Start,
            "pause" => PullCommand.Pause,
            "resume" => PullCommand.Resume,
            "cancel" => PullCommand.Cancel,
            "retry-failed" => PullCommand.RetryFailed,
            _ => throw new PullRequestException("command", $"\"{command}\" is not a pull command: start, pause, resume, cancel or retry-failed"),
        };
        await jobs.ChangeAsync(db, jobId, parsed, ct);
        return TypedResults.Ok((await PullSummary.LoadAsync(db, jobId, ct))!);
    }
}

/// <summary>The multipart form that plans a pull.</summary>
public sealed class PullForm
{
    public IFormFile? Cohort { get; set; }

    public string? Method { get; set; }

    /// <summary>AE@HOST:PORT for this pull instead of the site's registered PACS.</summary>
    public string? Pacs { get; set; }

    public string? OurAeTitle { get; set; }

    public string? DicomWebUrl { get; set; }

    public int? MaxConcurrentStudies { get; set; }

    public long? MaxBytesPerSecond { get; set; }

    public static PullForm From(IFormCollection form) => new()
    {
        Cohort = form.Files["cohort"],
        Method = form["method"].FirstOrDefault(),
        Pacs = form["pacs"].FirstOrDefault(),
        OurAeTitle = form["ourAeTitle"].FirstOrDefault(),
        DicomWebUrl = form["dicomWebUrl"].FirstOrDefault(),
        MaxConcurrentStudies = int.TryParse(form["maxConcurrentStudies"].FirstOrDefault(), out var studies) ? studies
            : form["maxConcurrentStudies"].FirstOrDefault() is { Length: > 0 } badStudies
                ? throw new PullRequestException("maxConcurrentStudies", $"\"{badStudies}\" is not a number of studies") : null,
        MaxBytesPerSecond = long.TryParse(form["maxBytesPerSecond"].FirstOrDefault(), out var rate) ? rate
            : form["maxBytesPerSecond"].FirstOrDefault() is { Length: > 0 } badRate
                ? throw new PullRequestException("maxBytesPerSecond", $"\"{badRate}\" is not a number of bytes per second") : null,
    };

    public PullRequest ToRequest()
    {
        var method = PullMethods.Parse(Method);
        if (Pacs is not null && DicomWebUrl is not null)
            throw new PullRequestException("pacs", "give the PACS as AE@HOST:PORT or as a DICOMweb URL, not both");
        PacsEndpoint? endpoint = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(Pacs))
                endpoint = PacsEndpoint.ParseDimse(Pacs.Trim(), string.IsNullOrWhiteSpace(OurAeTitle) ? PacsEndpoint.DefaultOurAeTitle : OurAeTitle.Trim());
        }
        catch (FormatException e)
        {
            throw new PullRequestException("pacs", e.Message);
        }
        if (!string.IsNullOrWhiteSpace(DicomWebUrl))
        {
            var url = PacsEndpoint.NormalizeUrl(DicomWebUrl);
            if (PacsEndpoint.Problems(null, null, null, PacsEndpoint.DefaultOurAeTitle, url).FirstOrDefault() is { Field: not null } problem)
                throw new PullRequestException(problem.Field, problem.Message);
            endpoint = new PacsEndpoint(null, null, null, PacsEndpoint.DefaultOurAeTitle, url);
        }
        return new PullRequest(method, endpoint, MaxConcurrentStudies ?? 1, MaxBytesPerSecond);
    }
}
