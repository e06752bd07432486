using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using TrialFlow.Core.Persistence;
using TrialFlow.Reports.Adherence;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Reports;

/// <summary>
/// The protocol adherence report over a trial's sites as JSON, CSV and PDF, for everyone who reads the trial (each over
/// their own sites). Downloads are recorded in the audit trail: the report leaves the system.
/// </summary>
public static class AdherenceApi
{
    public static IEndpointRouteBuilder MapAdherenceApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/trials/{trialId:guid}").WithTags("Reports").RequireAuthorization(Policies.TrialRead);
        api.MapGet("/adherence", Report).WithName("ProtocolAdherence")
            .WithSummary("Per site: status, qualified scanners, QC pass rate of the studies' latest results, deviations by rule, images held for their scanner.");
        api.MapGet("/adherence.csv", Csv).WithName("ProtocolAdherenceCsv");
        api.MapGet("/adherence.pdf", Pdf).WithName("ProtocolAdherencePdf");
        return endpoints;
    }

    private static async Task<Results<Ok<ProtocolAdherenceReport>, NotFound>> Report(Guid trialId, TrialFlowDbContext db, CancellationToken ct) =>
        await ProtocolAdherence.BuildAsync(db, trialId, ct) is { } report ? TypedResults.Ok(report) : TypedResults.NotFound();

    private static async Task<Results<FileContentHttpResult, NotFound>> Csv(Guid trialId, TrialFlowDbContext db, CancellationToken ct)
    {
        if (await ProtocolAdherence.BuildAsync(db, trialId, ct) is not { } report)
            return TypedResults.NotFound();
        var bytes = Encoding.UTF8.GetBytes(AdherenceCsv.Write(report));
        await RecordAsync(db, trialId, "csv", bytes, ct);
        return TypedResults.File(bytes, "text/csv; charset=utf-8", FileName(report, "csv"));
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> Pdf(Guid trialId, TrialFlowDbContext db, CancellationToken ct)
    {
        if (await ProtocolAdherence.BuildAsync(db, trialId, ct) is not { } report)
            return TypedResults.NotFound();
        var bytes = AdherencePdf.Render(report, $"{db.Actor.UserName} ({db.Actor.Role})");
        await RecordAsync(db, trialId, "pdf", bytes, ct);
        return TypedResults.File(bytes, "application/pdf", FileName(report, "pdf"));
    }

    private static async Task RecordAsync(TrialFlowDbContext db, Guid trialId, string format, byte[] bytes, CancellationToken ct)
    {
        db.RecordEvent("AdherenceReportDownloaded", "Trial", trialId.ToString(), null,
            System.Text.Json.JsonSerializer.Serialize(new { format, sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) }));
        await db.SaveChangesAsync(ct);
    }

    private static string FileName(ProtocolAdherenceReport report, string extension) =>
        $"adherence-{report.TrialProtocolId}-{report.GeneratedAt:yyyyMMdd-HHmm}.{extension}";
}
