using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Intake;

/// <summary>Site monitoring: per site, what arrived, through which channel, what was held and why.</summary>
public static class IntakeMonitoringApi
{
    public static IEndpointRouteBuilder MapIntakeMonitoringApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/intake/sites", Summary).WithTags("Intake").WithName("IntakeBySite").RequireAuthorization(Policies.TrialRead);
        endpoints.MapGet("/api/intake/receipts", Receipts).WithTags("Intake").WithName("IntakeReceipts").RequireAuthorization(Policies.TrialRead);
        return endpoints;
    }

    public static async Task<List<SiteIntakeSummary>> SummarizeAsync(TrialFlowDbContext db, CancellationToken ct)
    {
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.SiteNumber).Select(s => new { s.Id, s.SiteNumber, s.Name }).ToListAsync(ct);
        var rows = await db.IntakeReceipts.AsNoTracking()
            .GroupBy(r => new { r.SiteId, r.Channel, r.Outcome })
            .Select(g => new { g.Key.SiteId, g.Key.Channel, g.Key.Outcome, Count = g.Count(), Last = g.Max(r => r.ReceivedAt) })
            .ToListAsync(ct);
        return sites.Select(s =>
        {
            var mine = rows.Where(r => r.SiteId == s.Id).ToList();
            return new SiteIntakeSummary(s.Id, s.SiteNumber, s.Name,
                mine.Where(r => r.Outcome == IntakeOutcome.Archived).Sum(r => r.Count),
                mine.Where(r => r.Outcome == IntakeOutcome.Duplicate).Sum(r => r.Count),
                mine.Where(r => r.Outcome == IntakeOutcome.Quarantined).Sum(r => r.Count),
                mine.Where(r => r.Outcome == IntakeOutcome.Rejected).Sum(r => r.Count),
                mine.GroupBy(r => r.Channel).ToDictionary(g => g.Key.ToString(), g => g.Sum(r => r.Count)),
                mine.Count == 0 ? null : mine.Max(r => r.Last));
        }).ToList();
    }

    private static async Task<Ok<List<SiteIntakeSummary>>> Summary(TrialFlowDbContext db, CancellationToken ct) => TypedResults.Ok(await SummarizeAsync(db, ct));

    private static async Task<Ok<List<IntakeReceiptResponse>>> Receipts(TrialFlowDbContext db, Guid? siteId, IntakeOutcome? outcome, int? take, CancellationToken ct)
    {
        var query = db.IntakeReceipts.AsNoTracking();
        if (siteId is { } site)
            query = query.Where(r => r.SiteId == site);
        if (outcome is { } o)
            query = query.Where(r => r.Outcome == o);
        var receipts = await query.OrderByDescending(r => r.ReceivedAt).Take(Math.Clamp(take ?? 200, 1, 2000)).ToListAsync(ct);
        return TypedResults.Ok(receipts.Select(r => new IntakeReceiptResponse(r.Id, r.SiteId, r.Channel, r.ReceivedAt, r.Outcome, r.Reason, r.SizeBytes, r.Sender)).ToList());
    }
}

/// <summary>
/// What became of a site's objects: <paramref name="Held"/> were acknowledged and wait in quarantine (or waited, until a
/// decision); <paramref name="Refused"/> were refused at the door, unacknowledged, with a reason the sender was told.
/// </summary>
public sealed record SiteIntakeSummary(Guid SiteId, string SiteNumber, string Name, int Archived, int Duplicates, int Held, int Refused,
    IReadOnlyDictionary<string, int> ByChannel, DateTime? LastArrival);

public sealed record IntakeReceiptResponse(Guid Id, Guid SiteId, IntakeChannel Channel, DateTime ReceivedAt, IntakeOutcome Outcome, string? Reason, long SizeBytes, string? Sender);
