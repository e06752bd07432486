using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Qc.Domain;

namespace TrialFlow.Qc.Service;

/// <summary>QC outcomes of one site: how often its studies fail, and which rules they fail on.</summary>
public sealed record SiteQcPattern(Guid SiteId, string SiteNumber, string SiteName, int Studies, int Failed, int PassedWithFindings, IReadOnlyDictionary<string, int> FindingsByRule)
{
    public double FailureRate => Studies == 0 ? 0 : (double)Failed / Studies;
}

/// <summary>Failure rate of one site in one calendar month.</summary>
public sealed record SiteQcMonth(string SiteNumber, DateOnly Month, int Studies, int Failed)
{
    public double FailureRate => Studies == 0 ? 0 : (double)Failed / Studies;
}

/// <summary>
/// Site patterns for study managers: per site, the share of studies failing QC and the rules behind their findings,
/// by month, so a site that keeps producing borderline studies stands out. Counts each study's latest result only.
/// </summary>
public static class QcPatterns
{
    public static async Task<(IReadOnlyList<SiteQcPattern> Sites, IReadOnlyList<SiteQcMonth> Months)> ComputeAsync(TrialFlowDbContext db, CancellationToken cancellationToken)
    {
        var results = await db.QcResults.AsNoTracking().Include(r => r.Findings).ToListAsync(cancellationToken);
        var latest = results.GroupBy(r => r.StudyId).Select(g => g.OrderByDescending(r => r.RanAt).ThenByDescending(r => r.RulesetNumber).First()).ToList();
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.SiteNumber).ToListAsync(cancellationToken);

        var patterns = sites.Select(site =>
        {
            var mine = latest.Where(r => r.SiteId == site.Id).ToList();
            return new SiteQcPattern(site.Id, site.SiteNumber, site.Name, mine.Count,
                mine.Count(r => r.Outcome == QcOutcome.Failed), mine.Count(r => r.Outcome == QcOutcome.PassedWithFindings),
                mine.SelectMany(r => r.Findings).GroupBy(f => f.RuleId).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
        }).ToList();

        var numbers = sites.ToDictionary(s => s.Id, s => s.SiteNumber);
        var months = latest.GroupBy(r => (r.SiteId, Month: new DateOnly(r.RanAt.Year, r.RanAt.Month, 1)))
            .Select(g => new SiteQcMonth(numbers.GetValueOrDefault(g.Key.SiteId, "?"), g.Key.Month, g.Count(), g.Count(r => r.Outcome == QcOutcome.Failed)))
            .OrderBy(m => m.Month).ThenBy(m => m.SiteNumber, StringComparer.Ordinal).ToList();
        return (patterns, months);
    }
}
