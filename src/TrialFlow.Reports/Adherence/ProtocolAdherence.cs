using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Domain;
using TrialFlow.Qc.Domain;

namespace TrialFlow.Reports.Adherence;

/// <summary>
/// Protocol adherence over a trial's sites, as a sponsor or inspector asks to see it ("demonstrate consistent protocol
/// adherence across every site"): per site its lifecycle status, the scanners qualified there, how its studies fared in
/// QC and which rules its deviations came from, and the images held because their scanner was not qualified.
/// </summary>
/// <param name="Rules">Every rule that reported a deviation at any site, in order: the report's deviation columns.</param>
public sealed record ProtocolAdherenceReport(string TrialProtocolId, string TrialTitle, DateTime GeneratedAt, IReadOnlyList<string> Rules, IReadOnlyList<SiteAdherence> Sites)
{
    public int StudiesEvaluated => Sites.Sum(s => s.StudiesEvaluated);

    public int StudiesPassed => Sites.Sum(s => s.StudiesPassed);
}

/// <param name="StudiesEvaluated">Studies with a QC result; each counts with its latest result.</param>
/// <param name="StudiesPassed">Of those, the ones whose latest result passed (with or without findings below major).</param>
/// <param name="Deviations">Rule id → studies whose latest QC result has a finding of that rule.</param>
/// <param name="HeldForScanner">Images waiting in the quarantine because their scanner is not qualified at the site.</param>
public sealed record SiteAdherence(string SiteNumber, string SiteName, string Country, SiteStatus Status, IReadOnlyList<string> QualifiedScanners,
    int ScannersWithSoftwareChange, int StudiesEvaluated, int StudiesPassed, IReadOnlyDictionary<string, int> Deviations, int HeldForScanner)
{
    /// <summary>Share of evaluated studies that passed, or null when none was evaluated (not 0 %, which would read as all failing).</summary>
    public double? PassRate => StudiesEvaluated == 0 ? null : (double)StudiesPassed / StudiesEvaluated;
}

public static class ProtocolAdherence
{
    /// <summary>The report over the sites the context's actor may see (a monitor: their sites; the study team: all).</summary>
    public static async Task<ProtocolAdherenceReport?> BuildAsync(TrialFlowDbContext db, Guid trialId, CancellationToken cancellationToken)
    {
        var trial = await db.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken);
        if (trial is null)
            return null;
        var sites = await db.Sites.AsNoTracking().Where(s => s.TrialId == trialId).OrderBy(s => s.SiteNumber).ToListAsync(cancellationToken);
        var siteIds = sites.Select(s => s.Id).ToList();
        var scanners = await db.QualifiedScanners.AsNoTracking().Where(q => siteIds.Contains(q.SiteId)).ToListAsync(cancellationToken);

        // The latest result of each study: a study QC'd again (new images, a new ruleset) counts once, as it stands now.
        var results = await db.QcResults.AsNoTracking()
            .Join(db.Studies.Where(s => s.TrialId == trialId), r => r.StudyId, s => s.Id, (r, _) => new { r.Id, r.StudyId, r.SiteId, r.RanAt, r.Outcome })
            .ToListAsync(cancellationToken);
        var latest = results.GroupBy(r => r.StudyId).Select(g => g.OrderByDescending(r => r.RanAt).ThenBy(r => r.Id).First()).ToList();
        var latestIds = latest.Select(r => r.Id).ToHashSet();
        var findings = (await db.QcFindings.AsNoTracking().Where(f => siteIds.Contains(f.SiteId)).Select(f => new { f.ResultId, f.RuleId }).ToListAsync(cancellationToken))
            .Where(f => latestIds.Contains(f.ResultId)).ToList();
        var resultSite = latest.ToDictionary(r => r.Id, r => r.SiteId);

        var held = await db.QuarantineItems.AsNoTracking()
            .Where(q => siteIds.Contains(q.SiteId) && q.Status == QuarantineStatus.Open && q.Reason == QuarantineReason.ScannerNotQualified)
            .GroupBy(q => q.SiteId).Select(g => new { SiteId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.SiteId, g => g.Count, cancellationToken);

        var rows = sites.Select(site =>
        {
            var mine = latest.Where(r => r.SiteId == site.Id).ToList();
            var deviations = findings.Where(f => resultSite[f.ResultId] == site.Id)
                .GroupBy(f => f.RuleId).ToDictionary(g => g.Key, g => g.Select(f => f.ResultId).Distinct().Count(), StringComparer.Ordinal);
            var qualified = scanners.Where(q => q.SiteId == site.Id).OrderBy(q => q.Modality, StringComparer.Ordinal).ThenBy(q => q.Label, StringComparer.Ordinal).ToList();
            return new SiteAdherence(site.SiteNumber, site.Name, site.Country, site.Status,
                qualified.Select(q => $"{q.Label} ({q.Modality})").ToList(), qualified.Count(q => q.SoftwareChangedTo is not null),
                mine.Count, mine.Count(r => r.Outcome != QcOutcome.Failed), deviations, held.GetValueOrDefault(site.Id));
        }).ToList();
        var rules = rows.SelectMany(r => r.Deviations.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new ProtocolAdherenceReport(trial.ProtocolId, trial.Title, db.Time.GetUtcNow().UtcDateTime, rules, rows);
    }
}
