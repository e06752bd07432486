using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Activation.Domain;
using TrialFlow.Activation.Service;
using TrialFlow.Activation.Storage;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Activation;

/// <summary>
/// Site set-up: onboarding a site into a running trial, its activation checklist and its lifecycle. Study managers and
/// administrators change; everyone who reads the trial (Inspectors too) reads. A refused step is 409 naming what is
/// missing; invalid input is 400 naming the field; nothing is saved in either case.
/// </summary>
public static class ActivationApi
{
    public static IEndpointRouteBuilder MapActivationApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/trials/{trialId:guid}/activation", Dashboard).WithTags("Activation").WithName("ActivationDashboard")
            .RequireAuthorization(Policies.TrialRead)
            .WithSummary("The trial's sites by lifecycle status, with open checklist items and days in Qualifying.");
        endpoints.MapPost("/api/trials/{trialId:guid}/sites", Onboard).WithTags("Activation").WithName("OnboardSite")
            .RequireAuthorization(Policies.SiteSetup)
            .WithSummary("Add a site to a running trial (Planned); its AE titles are accepted by the DICOM listener at once.");
        var site = endpoints.MapGroup("/api/sites/{siteId:guid}/activation").WithTags("Activation");
        site.MapGet("/", Checklist).WithName("SiteChecklist").RequireAuthorization(Policies.TrialRead);
        site.MapPost("/items/{itemKey}", CompleteItem).WithName("CompleteChecklistItem").RequireAuthorization(Policies.SiteSetup)
            .WithSummary("Record a checklist item done, with evidence; per-user items (training) name the site user.");
        site.MapPost("/items/{itemKey}/file", CompleteItemWithFile).WithName("CompleteChecklistItemWithFile").RequireAuthorization(Policies.SiteSetup)
            .DisableAntiforgery() // bearer-token API; the page records files through the circuit, not this form
            .WithSummary("Record a checklist item done with a file as evidence (multipart: file, evidence, userName); PDF, images, text, Word, Excel up to 25 MiB.");
        site.MapGet("/evidence/{sha256}", DownloadEvidence).WithName("DownloadChecklistEvidence").RequireAuthorization(Policies.TrialRead);
        site.MapPost("/status", ChangeStatus).WithName("ChangeSiteStatus").RequireAuthorization(Policies.SiteSetup)
            .WithSummary("Move the site along its lifecycle with a reason; Active only with every required item done.");
        endpoints.MapGet("/api/sites/{siteId:guid}/senders", Senders).WithTags("Activation").WithName("SiteSenders").RequireAuthorization(Policies.TrialRead);
        endpoints.MapPut("/api/sites/{siteId:guid}/senders", ChangeSenders).WithTags("Activation").WithName("ChangeSiteSenders").RequireAuthorization(Policies.SiteSetup)
            .WithSummary("Replace the AE titles the site sends from and their networks, with a reason; the DICOM listener follows within seconds.");
        endpoints.MapPost("/api/qualification-scans/{scanId:guid}/evaluate", Reevaluate).WithTags("Activation").WithName("ReevaluateQualificationScan")
            .RequireAuthorization(Policies.SiteSetup)
            .WithSummary("Judge a qualification scan again (a new ruleset or protocol version), with a reason; 202, evaluated in the background.");
        endpoints.MapGet("/api/sites/{siteId:guid}/scanners", Scanners).WithTags("Activation").WithName("SiteScanners")
            .RequireAuthorization(Policies.TrialRead)
            .WithSummary("The scanners qualified at the site and its qualification scans with QC's verdict; the site's own users see theirs.");
        return endpoints;
    }

    private static async Task<Results<Ok<SiteSendersView>, NotFound>> Senders(Guid siteId, TrialFlowDbContext db, CancellationToken ct) =>
        await db.Sites.AnyAsync(s => s.Id == siteId, ct) ? TypedResults.Ok(await SiteOnboarding.SendersAsync(db, siteId, ct)) : TypedResults.NotFound();

    private static async Task<Ok<SiteSendersView>> ChangeSenders(Guid siteId, SiteSenders request, TrialFlowDbContext db, SiteOnboarding onboarding, CancellationToken ct)
    {
        await onboarding.ChangeSendersAsync(db, siteId, request, ct);
        return TypedResults.Ok(await SiteOnboarding.SendersAsync(db, siteId, ct));
    }

    private static async Task<Accepted> Reevaluate(Guid scanId, ReasonRequest request, TrialFlowDbContext db, CancellationToken ct)
    {
        await ScannerQualification.ReevaluateAsync(db, scanId, request.Reason, ct);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<SiteScanners>, NotFound>> Scanners(Guid siteId, TrialFlowDbContext db, CancellationToken ct) =>
        await db.Sites.AnyAsync(s => s.Id == siteId, ct) ? TypedResults.Ok(await ScannerQualification.ForSiteAsync(db, siteId, ct)) : TypedResults.NotFound();

    private static async Task<Results<Ok<ActivationDashboard>, NotFound>> Dashboard(Guid trialId, TrialFlowDbContext db, SiteActivation activation, CancellationToken ct)
    {
        if (!await db.Trials.AnyAsync(t => t.Id == trialId, ct))
            return TypedResults.NotFound();
        return TypedResults.Ok(await ActivationDashboard.LoadAsync(db, activation, trialId, ct));
    }

    private static async Task<Created<SiteChecklist>> Onboard(Guid trialId, NewSite request, TrialFlowDbContext db, SiteOnboarding onboarding, SiteActivation activation, CancellationToken ct)
    {
        var site = await onboarding.OnboardAsync(db, trialId, request, ct);
        return TypedResults.Created($"/api/sites/{site.Id}/activation", await activation.ChecklistAsync(db, site.Id, ct));
    }

    private static async Task<Results<Ok<SiteChecklist>, NotFound>> Checklist(Guid siteId, TrialFlowDbContext db, SiteActivation activation, CancellationToken ct) =>
        await activation.ChecklistAsync(db, siteId, ct) is { } checklist ? TypedResults.Ok(checklist) : TypedResults.NotFound();

    private static async Task<Ok<SiteChecklist>> CompleteItem(Guid siteId, string itemKey, ChecklistItemRequest request, TrialFlowDbContext db, SiteActivation activation, CancellationToken ct) =>
        TypedResults.Ok(await activation.CompleteItemAsync(db, siteId, itemKey, request.UserName, request.Evidence, ct));

    /// <remarks>
    /// The form is read here rather than bound: a bound form makes routing answer 415 to other content before
    /// authorization has said who may call at all.
    /// </remarks>
    private static async Task<Results<Ok<SiteChecklist>, ProblemHttpResult>> CompleteItemWithFile(Guid siteId, string itemKey, HttpRequest request,
        TrialFlowDbContext db, SiteActivation activation, EvidenceFiles files, CancellationToken ct)
    {
        if (!request.HasFormContentType || (await request.ReadFormAsync(ct)) is not { } form || form.Files["file"] is not { } file)
            return TypedResults.Problem("Send multipart/form-data with the evidence file in the field 'file', the evidence text in 'evidence' and, for per-user items, 'userName'.",
                statusCode: StatusCodes.Status400BadRequest, title: "No evidence file");
        await using var content = file.OpenReadStream();
        var stored = await files.SaveAsync(file.FileName, content, ct);
        return TypedResults.Ok(await activation.CompleteItemAsync(db, siteId, itemKey, form["userName"].FirstOrDefault(), form["evidence"].FirstOrDefault() ?? "", ct, stored));
    }

    /// <summary>An evidence file of the site's checklist, as an attachment; only by a hash the site's own entries cite.</summary>
    private static async Task<Results<FileStreamHttpResult, NotFound>> DownloadEvidence(Guid siteId, string sha256, HttpResponse response, TrialFlowDbContext db, EvidenceFiles files, CancellationToken ct)
    {
        var entry = await db.ChecklistEntries.AsNoTracking().Where(e => e.SiteId == siteId && e.EvidenceFileSha256 == sha256).FirstOrDefaultAsync(ct);
        if (entry?.File is not { } file)
            return TypedResults.NotFound();
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(files.OpenRead(file.Sha256), file.ContentType, file.FileName);
    }

    private static async Task<Ok<SiteChecklist>> ChangeStatus(Guid siteId, SiteStatusRequest request, TrialFlowDbContext db, SiteActivation activation, CancellationToken ct) =>
        TypedResults.Ok(await activation.ChangeStatusAsync(db, siteId, request.Status, request.Reason, ct));
}

/// <param name="UserName">For per-user items (training): the site user it is for.</param>
public sealed record ChecklistItemRequest(string Evidence, string? UserName = null);

public sealed record SiteStatusRequest(SiteStatus Status, string Reason);

public sealed record ReasonRequest(string Reason);
