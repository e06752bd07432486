using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Edc;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Edc;

/// <summary>
/// The EDC side of the registry: file imports (ODM 1.3.2 ClinicalData or CSV) by data managers, enrolment pushes by
/// the EDC's service account, the imaging status the EDC reads back (JSON or ODM), and the reconciliation list.
/// A conflicting import answers 409 with its report and changes nothing.
/// </summary>
public static class EdcApi
{
    public static IEndpointRouteBuilder MapEdcApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/trials/{trialId:guid}/edc").WithTags("EDC");
        api.MapPost("/registry/import", Import).WithName("ImportEdcRegistry").RequireAuthorization(Policies.EdcImport)
            .WithSummary("Import subjects and visits from an ODM 1.3.2 ClinicalData file (application/xml) or a CSV (text/csv); ?dryRun=true only reports.");
        api.MapPost("/enrolments", Push).WithName("PushEdcEnrolments").RequireAuthorization(Policies.EdcPush)
            .WithSummary("The EDC pushes subjects and their visits (site numbers and visit keys of this trial).");
        api.MapGet("/imaging-status", ImagingStatus).WithName("GetImagingVisitStatus").RequireAuthorization(Policies.EdcExport)
            .WithSummary("Imaging status per subject and visit: received, QC, open queries, read, adjudicated.");
        api.MapGet("/imaging-status.odm", ImagingStatusOdm).WithName("GetImagingVisitStatusOdm").RequireAuthorization(Policies.EdcExport)
            .WithSummary("The same as ODM 1.3.2 ClinicalData with its metadata, item OIDs from templates/edc.");
        api.MapGet("/reconciliation", Reconcile).WithName("GetEdcReconciliation").RequireAuthorization(Policies.EdcExport)
            .WithSummary("Visits without imaging, imaging without a visit, visits and scans out of window.");
        api.MapGet("/reconciliation.csv", ReconcileCsv).WithName("GetEdcReconciliationCsv").RequireAuthorization(Policies.EdcExport);
        return endpoints;
    }

    private static async Task<Results<Ok<RegistryImportReport>, Conflict<RegistryImportReport>, NotFound, ProblemHttpResult>> Import(
        Guid trialId, HttpRequest request, RegistryImport import, EdcMappings mappings, TrialFlowDbContext db, string? fileName, bool? dryRun, CancellationToken ct)
    {
        var protocolId = await db.Trials.Where(t => t.Id == trialId).Select(t => t.ProtocolId).SingleOrDefaultAsync(ct);
        if (protocolId is null)
            return TypedResults.NotFound();
        var name = string.IsNullOrWhiteSpace(fileName) ? "upload" : Path.GetFileName(fileName);
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var report = mediaType switch
        {
            "application/xml" or "text/xml" or "application/odm+xml" =>
                await import.ImportOdmAsync(trialId, request.Body, name, mappings.ForProtocol(protocolId), dryRun ?? false, ct),
            "text/csv" => await import.ImportCsvAsync(trialId, request.Body, name, dryRun ?? false, ct),
            _ => null,
        };
        if (report is null)
            return TypedResults.Problem($"Content-Type '{request.ContentType}' is neither ODM (application/xml) nor CSV (text/csv); nothing was imported.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        return report.Conflicts.Count > 0 ? TypedResults.Conflict(report) : TypedResults.Ok(report);
    }

    private static async Task<Results<Ok<RegistryImportReport>, Conflict<RegistryImportReport>, NotFound>> Push(
        Guid trialId, EnrolmentPushRequest push, RegistryImport import, TrialFlowDbContext db, bool? dryRun, CancellationToken ct)
    {
        if (!await db.Trials.AnyAsync(t => t.Id == trialId, ct))
            return TypedResults.NotFound();
        var enrolments = push.Enrolments.Select((e, i) => new EdcEnrolment(e.SubjectKey.Trim(), e.SiteNumber.Trim(),
            (e.Visits ?? []).Select(v => new EdcVisit(v.VisitKey.Trim(), v.Date)).ToList(), i + 1)).ToList();
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(push);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        var report = await import.ImportAsync(trialId, new EdcFileContent(enrolments, []), $"EDC push ({enrolments.Count} subject(s))", sha256, dryRun ?? false, ct);
        return report.Conflicts.Count > 0 ? TypedResults.Conflict(report) : TypedResults.Ok(report);
    }

    private static async Task<Ok<IReadOnlyList<ImagingVisitStatus>>> ImagingStatus(Guid trialId, ImagingVisitStatusQuery query, CancellationToken ct) =>
        TypedResults.Ok(await query.ForTrialAsync(trialId, null, ct));

    private static async Task<Results<FileContentHttpResult, NotFound>> ImagingStatusOdm(
        Guid trialId, ImagingVisitStatusQuery query, EdcMappings mappings, TrialFlowDbContext db, TimeProvider time, CancellationToken ct)
    {
        var trial = await db.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == trialId, ct);
        if (trial is null)
            return TypedResults.NotFound();
        var now = time.GetUtcNow();
        var document = OdmStatusExport.Build(mappings.ForProtocol(trial.ProtocolId), new OdmStudyInfo(trial.ProtocolId, trial.Title),
            await query.ForTrialAsync(trialId, null, ct), now, $"TF.{trial.ProtocolId}.STATUS.{now:yyyyMMddHHmmss}");
        return TypedResults.File(EdcVisitResultsExporter.Serialize(document), "application/xml", $"{trial.ProtocolId}-imaging-status-{now:yyyyMMdd}.xml");
    }

    private static async Task<Ok<IReadOnlyList<ReconciliationItem>>> Reconcile(Guid trialId, ReconciliationQuery query, CancellationToken ct) =>
        TypedResults.Ok(await query.RunAsync(trialId, ct));

    private static async Task<FileContentHttpResult> ReconcileCsv(Guid trialId, ReconciliationQuery query, CancellationToken ct)
    {
        var csv = new StringWriter();
        Reconciliation.WriteCsv(csv, await query.RunAsync(trialId, ct));
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", "reconciliation.csv");
    }
}

/// <summary>What an EDC pushes: subjects with their site number and visits (visit keys of the schedule, ISO dates).</summary>
public sealed record EnrolmentPushRequest(IReadOnlyList<EnrolmentPushSubject> Enrolments);

public sealed record EnrolmentPushSubject(string SubjectKey, string SiteNumber, IReadOnlyList<EnrolmentPushVisit>? Visits);

public sealed record EnrolmentPushVisit(string VisitKey, DateOnly? Date);
