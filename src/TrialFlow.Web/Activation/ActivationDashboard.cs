using Microsoft.EntityFrameworkCore;
using TrialFlow.Activation.Service;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;

namespace TrialFlow.Web.Activation;

/// <summary>What the study team looks at while sites start up: every site of the trial by status, what it still owes, and for how long.</summary>
public sealed record ActivationDashboard(IReadOnlyList<SiteActivationRow> Sites)
{
    public static async Task<ActivationDashboard> LoadAsync(TrialFlowDbContext db, SiteActivation activation, Guid trialId, CancellationToken ct)
    {
        var now = db.Time.GetUtcNow().UtcDateTime;
        var siteIds = await db.Sites.AsNoTracking().Where(s => s.TrialId == trialId).OrderBy(s => s.SiteNumber).Select(s => s.Id).ToListAsync(ct);
        var rows = new List<SiteActivationRow>();
        foreach (var id in siteIds)
        {
            var checklist = (await activation.ChecklistAsync(db, id, ct))!;
            var since = checklist.History.LastOrDefault(h => h.To == checklist.Status)?.At;
            var qualifyingSince = checklist.Status == SiteStatus.Qualifying ? since : null;
            rows.Add(new SiteActivationRow(id, checklist.SiteNumber, checklist.SiteName, checklist.Status, since,
                qualifyingSince is { } from ? (int)(now - from).TotalDays : null,
                checklist.Items.Count(i => i.Done), checklist.Items.Count, checklist.MissingRequired.Select(m => m.Definition.Title).ToList()));
        }
        return new ActivationDashboard(rows);
    }
}

/// <param name="DaysInQualifying">Whole days since the site started qualifying, while it is Qualifying.</param>
/// <param name="OpenRequired">Titles of the required items not done yet.</param>
public sealed record SiteActivationRow(Guid SiteId, string SiteNumber, string Name, SiteStatus Status, DateTime? StatusSince, int? DaysInQualifying,
    int ItemsDone, int ItemsTotal, IReadOnlyList<string> OpenRequired);
