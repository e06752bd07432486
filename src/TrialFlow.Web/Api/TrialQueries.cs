using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Api;

/// <summary>
/// Read models shared by the API and the pages. Every query runs through the site-filtered DbContext, so a
/// site user's dashboard counts only their own sites.
/// </summary>
public static class TrialQueries
{
    public static Task<List<TrialResponse>> TrialsAsync(TrialFlowDbContext db, CancellationToken ct) =>
        db.Trials.AsNoTracking().OrderBy(t => t.ProtocolId)
            .Select(t => new TrialResponse(t.Id, t.ProtocolId, t.Sponsor, t.Title)).ToListAsync(ct);

    public static async Task<List<SiteResponse>> SitesAsync(TrialFlowDbContext db, Guid trialId, CancellationToken ct)
    {
        var sites = await db.Sites.AsNoTracking().Include(s => s.AeTitles).Where(s => s.TrialId == trialId).OrderBy(s => s.SiteNumber).ToListAsync(ct);
        return sites.Select(s => new SiteResponse(s.Id, s.TrialId, s.SiteNumber, s.Name, s.Country, s.TimeZone, s.AeTitles.Select(a => a.AeTitle).Order().ToList(), s.Status)).ToList();
    }

    public static async Task<TrialDashboard?> DashboardAsync(TrialFlowDbContext db, Guid trialId, CancellationToken ct)
    {
        var trial = await db.Trials.AsNoTracking().Where(t => t.Id == trialId)
            .Select(t => new TrialResponse(t.Id, t.ProtocolId, t.Sponsor, t.Title)).SingleOrDefaultAsync(ct);
        if (trial is null)
            return null;

        var sites = await db.Sites.AsNoTracking().Where(s => s.TrialId == trialId).OrderBy(s => s.SiteNumber)
            .Select(s => new { s.Id, s.SiteNumber, s.Name, s.Country }).ToListAsync(ct);
        var subjects = await db.Subjects.AsNoTracking().Where(s => s.TrialId == trialId)
            .GroupBy(s => s.SiteId).Select(g => new { SiteId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.SiteId, x => x.Count, ct);
        var studies = await db.Studies.AsNoTracking().Where(s => s.TrialId == trialId)
            .GroupBy(s => new { s.SiteId, s.Status }).Select(g => new { g.Key.SiteId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);

        var perSite = sites.Select(s => new SiteSummary(s.Id, s.SiteNumber, s.Name, s.Country,
            subjects.GetValueOrDefault(s.Id), studies.Where(x => x.SiteId == s.Id).Sum(x => x.Count))).ToList();
        var byStatus = studies.GroupBy(x => x.Status.ToString()).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        return new TrialDashboard(trial, sites.Count, subjects.Values.Sum(), studies.Sum(x => x.Count), byStatus, perSite);
    }
}
