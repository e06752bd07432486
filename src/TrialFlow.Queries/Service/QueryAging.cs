using TrialFlow.Queries.Domain;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Queries.Service;

/// <summary>Open queries of one site by age in the site's business days.</summary>
public sealed record SiteQueryAging(Guid SiteId, string SiteNumber, string SiteName, string TimeZone, int Open, int AwaitingSite, int Overdue, int Escalated,
    double? MedianDaysOpen, double? P90DaysOpen, int? OldestDaysOpen, IReadOnlyList<int> Buckets);

public sealed record QueryAgingReport(DateTime AsOf, IReadOnlyList<SiteQueryAging> Sites, IReadOnlyList<string> BucketLabels)
{
    public int Open => Sites.Sum(s => s.Open);

    public int Overdue => Sites.Sum(s => s.Overdue);
}

/// <summary>
/// Aging of open queries per site: count, waiting for the site, overdue, escalated, median and 90th percentile of days
/// open and an age histogram. The database groups open queries by site and local raising date (a few thousand rows
/// at most, whatever the number of queries); ages follow from each site's calendar.
/// </summary>
public static class QueryAging
{
    public static readonly IReadOnlyList<string> BucketLabels = ["0–2", "3–5", "6–10", "11–20", "> 20"];

    public static async Task<QueryAgingReport> ComputeAsync(TrialFlowDbContext db, DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.SiteNumber).ToListAsync(cancellationToken);
        var byDate = await db.Queries.Where(q => q.IsOpen).GroupBy(q => new { q.SiteId, q.RaisedLocalDate })
            .Select(g => new { g.Key.SiteId, g.Key.RaisedLocalDate, Count = g.Count() }).ToListAsync(cancellationToken);
        var bySite = await db.Queries.Where(q => q.IsOpen).GroupBy(q => q.SiteId)
            .Select(g => new
            {
                SiteId = g.Key,
                AwaitingSite = g.Count(q => q.Status == QueryStatus.Open || q.Status == QueryStatus.Reopened),
                Overdue = g.Count(q => (q.Status == QueryStatus.Open || q.Status == QueryStatus.Reopened) && q.OverdueFrom <= nowUtc),
                Escalated = g.Count(q => q.EscalatedAt != null),
            }).ToDictionaryAsync(g => g.SiteId, cancellationToken);

        var report = new List<SiteQueryAging>();
        foreach (var site in sites)
        {
            var calendar = QueryService.CalendarOf(site);
            var today = calendar.LocalDate(nowUtc);
            var histogram = byDate.Where(r => r.SiteId == site.Id)
                .Select(r => (Value: calendar.BusinessDaysBetween(r.RaisedLocalDate, today), r.Count)).ToList();
            var counts = bySite.GetValueOrDefault(site.Id);
            var buckets = new int[BucketLabels.Count];
            foreach (var (value, count) in histogram)
                buckets[value switch { <= 2 => 0, <= 5 => 1, <= 10 => 2, <= 20 => 3, _ => 4 }] += count;
            report.Add(new SiteQueryAging(site.Id, site.SiteNumber, site.Name, site.TimeZone, histogram.Sum(h => h.Count), counts?.AwaitingSite ?? 0,
                counts?.Overdue ?? 0, counts?.Escalated ?? 0, Percentiles.Of(histogram, 0.5), Percentiles.Of(histogram, 0.9),
                histogram.Count == 0 ? null : histogram.Max(h => h.Value), buckets));
        }
        return new QueryAgingReport(nowUtc, report, BucketLabels);
    }
}
