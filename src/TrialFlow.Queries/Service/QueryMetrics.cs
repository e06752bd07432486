using TrialFlow.Queries.Domain;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Queries.Service;

public sealed record CategoryCount(QueryCategory Category, int Count);

/// <summary>
/// A site's query record for the sponsor. <see cref="QueriesPer10Studies"/> is queries raised per 10 studies received;
/// <see cref="ReopenRate"/> is the share of answered queries that were reopened at least once.
/// </summary>
public sealed record SiteQueryMetrics(Guid SiteId, string SiteNumber, string SiteName, int Studies, int Queries, double? QueriesPer10Studies,
    int Resolved, double? MedianDaysToResolution, double? P90DaysToResolution, double? ReopenRate, QueryCategory? TopCategory, bool NeedsAttention);

public sealed record QueryMetricsReport(IReadOnlyList<SiteQueryMetrics> Sites, IReadOnlyList<CategoryCount> TopCategories,
    double? QueriesPer10Studies, double? MedianDaysToResolution, double? ReopenRate);

/// <summary>
/// Sponsor metrics over every query of the sites in scope: queries per site per 10 studies, business days to resolution,
/// reopen rate and top categories. A site is flagged when its query rate is at least twice the trial's (with 3 queries
/// or more) or a quarter of its answers were reopened: the site that needs retraining shows at a glance.
/// </summary>
public static class QueryMetrics
{
    public static async Task<QueryMetricsReport> ComputeAsync(TrialFlowDbContext db, CancellationToken cancellationToken = default)
    {
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.SiteNumber).ToListAsync(cancellationToken);
        var studies = await db.Studies.GroupBy(s => s.SiteId).Select(g => new { SiteId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.SiteId, g => g.Count, cancellationToken);
        // One pass over a covering index (site, category, answered, reopened) gives the per-site counts and the categories.
        var categories = await db.Queries.GroupBy(q => new { q.SiteId, q.Category }).Select(g => new
        {
            g.Key.SiteId,
            g.Key.Category,
            Count = g.Count(),
            Answered = g.Count(q => q.AnsweredAt != null),
            Reopened = g.Count(q => q.ReopenCount > 0),
        }).ToListAsync(cancellationToken);
        var counts = categories.GroupBy(c => c.SiteId).ToDictionary(g => g.Key, g => new
        {
            Queries = g.Sum(c => c.Count),
            Answered = g.Sum(c => c.Answered),
            Reopened = g.Sum(c => c.Reopened),
        });
        var resolution = await db.Queries.Where(q => q.BusinessDaysToResolution != null)
            .GroupBy(q => new { q.SiteId, Days = q.BusinessDaysToResolution!.Value })
            .Select(g => new { g.Key.SiteId, g.Key.Days, Count = g.Count() }).ToListAsync(cancellationToken);

        var totalStudies = studies.Values.Sum();
        var totalQueries = counts.Values.Sum(c => c.Queries);
        var trialRate = totalStudies == 0 ? (double?)null : totalQueries * 10.0 / totalStudies;
        var rows = sites.Select(site =>
        {
            var siteStudies = studies.GetValueOrDefault(site.Id);
            var c = counts.GetValueOrDefault(site.Id);
            var histogram = resolution.Where(r => r.SiteId == site.Id).Select(r => (r.Days, r.Count)).ToList();
            var rate = siteStudies == 0 ? (double?)null : (c?.Queries ?? 0) * 10.0 / siteStudies;
            var reopenRate = c is { Answered: > 0 } ? c.Reopened / (double)c.Answered : (double?)null;
            var top = categories.Where(x => x.SiteId == site.Id).OrderByDescending(x => x.Count).ThenBy(x => x.Category).Select(x => (QueryCategory?)x.Category).FirstOrDefault();
            var attention = (rate is { } r && trialRate is { } t && t > 0 && r >= 2 * t && (c?.Queries ?? 0) >= 3) || reopenRate >= 0.25;
            return new SiteQueryMetrics(site.Id, site.SiteNumber, site.Name, siteStudies, c?.Queries ?? 0, rate, histogram.Sum(h => h.Count),
                Percentiles.Of(histogram, 0.5), Percentiles.Of(histogram, 0.9), reopenRate, top, attention);
        }).ToList();
        var topCategories = categories.GroupBy(x => x.Category).Select(g => new CategoryCount(g.Key, g.Sum(x => x.Count)))
            .OrderByDescending(x => x.Count).ThenBy(x => x.Category).ToList();
        var answered = counts.Values.Sum(c => c.Answered);
        return new QueryMetricsReport(rows, topCategories, trialRate,
            Percentiles.Of(resolution.Select(r => (r.Days, r.Count)), 0.5),
            answered == 0 ? null : counts.Values.Sum(c => c.Reopened) / (double)answered);
    }
}
