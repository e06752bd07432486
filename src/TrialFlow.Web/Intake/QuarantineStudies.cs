using Microsoft.EntityFrameworkCore;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Intake;

/// <summary>
/// Held objects grouped by study, a page at a time. The database groups and pages; only the objects of the page's
/// groups are read, so a quarantine of thousands of files costs a page of groups, not thousands of rows.
/// </summary>
public static class QuarantineStudies
{
    public const int DefaultPageSize = 100;

    public const int MaxPageSize = 500;

    public static async Task<QuarantineStudyPage> ListAsync(TrialFlowDbContext db, QuarantineStatus status, int skip, int take, CancellationToken cancellationToken)
    {
        skip = Math.Max(0, skip);
        take = Math.Clamp(take, 1, MaxPageSize);
        var held = db.QuarantineItems.AsNoTracking().Where(q => q.Status == status);
        // An object without a readable study has no StudyKey: its blob name, unique and never a study key, keeps it alone.
        var groups = held.GroupBy(q => new { Key = q.StudyKey ?? q.BlobName, q.SiteId });
        var totalGroups = await groups.CountAsync(cancellationToken);
        var totalFiles = await held.CountAsync(cancellationToken);
        var page = await groups
            .Select(g => new { g.Key.Key, g.Key.SiteId, Oldest = g.Min(q => q.ReceivedAt), Newest = g.Max(q => q.ReceivedAt), Series = g.Select(q => q.SeriesKey).Distinct().Count(), StudyDate = g.Max(q => q.StudyDate) })
            // Newest first: what intake has just held (and its notice points to) is on the first page, however long the backlog.
            .OrderByDescending(g => g.Newest).ThenBy(g => g.Key)
            .Skip(skip).Take(take)
            .ToListAsync(cancellationToken);

        var keys = page.Select(g => g.Key).ToList();
        var files = (await held.Where(q => keys.Contains(q.StudyKey ?? q.BlobName))
                .Select(q => new { Key = q.StudyKey ?? q.BlobName, q.StudyKey, q.SiteId, q.Id, q.Reason, q.Modality, q.PatientIdHint, q.ReceivedAt })
                .ToListAsync(cancellationToken))
            .ToLookup(f => (f.Key, f.SiteId));
        var siteIds = page.Select(g => g.SiteId).Distinct().ToList();
        var sites = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.SiteNumber, cancellationToken);

        // A group decided between the two queries has no files left: it is left out rather than shown empty.
        var result = page.Where(g => files.Contains((g.Key, g.SiteId))).Select(g =>
        {
            var mine = files[(g.Key, g.SiteId)].OrderBy(f => f.ReceivedAt).ToList();
            return new QuarantineStudyGroup(
                mine[0].StudyKey ?? mine[0].Id.ToString(),
                g.SiteId,
                sites.GetValueOrDefault(g.SiteId, ""),
                Join(mine.Select(f => f.PatientIdHint)),
                g.StudyDate,
                Join(mine.Select(f => f.Modality)),
                g.Series,
                mine.Count,
                mine.GroupBy(f => f.Reason).Select(r => new QuarantineReasonCount(r.Key, r.Count())).OrderByDescending(r => r.Count).ThenBy(r => r.Reason).ToList(),
                g.Oldest,
                g.Newest,
                mine.Select(f => f.Id).ToList());
        }).ToList();
        return new QuarantineStudyPage(totalGroups, totalFiles, skip, take, result);
    }

    private static string? Join(IEnumerable<string?> values)
    {
        var distinct = values.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return distinct.Count == 0 ? null : string.Join(", ", distinct);
    }
}
