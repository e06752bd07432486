namespace TrialFlow.Benchmarks.Queries;

/// <summary>The peer: the same pages written the obvious way, loading every visible query and working in memory.</summary>
internal static class NaiveQueries
{
    public static async Task<List<QueryInboxRow>> InboxAsync(TrialFlowDbContext db, QueryInboxFilter filter, DateTime now, CancellationToken cancellationToken)
    {
        var all = await db.Queries.AsNoTracking().ToListAsync(cancellationToken);
        var sites = await db.Sites.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
        return all.Where(q => filter.SiteId is null || q.SiteId == filter.SiteId)
            .Where(q => !filter.OverdueOnly || q.IsOverdue(now))
            .OrderByDescending(q => q.IsOpen).ThenBy(q => q.RaisedAt).ThenBy(q => q.Id)
            .Skip(filter.Page * filter.PageSize).Take(filter.PageSize)
            .Select(q =>
            {
                var calendar = QueryService.CalendarOf(sites[q.SiteId]);
                return new QueryInboxRow(q.Id, q.Reference, q.SiteId, sites[q.SiteId].SiteNumber, q.Title, q.Category, q.Priority, q.Status, q.AddressedTo,
                    q.RaisedAt, q.DueDate, q.IsOverdue(now), calendar.AgeInBusinessDays(q.RaisedAt, q.ResolvedAt ?? q.CancelledAt ?? q.ClosedAt ?? now), q.EscalatedAt is not null, q.StudyId);
            }).ToList();
    }

    public static async Task DashboardAsync(TrialFlowDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var all = await db.Queries.AsNoTracking().ToListAsync(cancellationToken);
        var sites = await db.Sites.AsNoTracking().ToListAsync(cancellationToken);
        var studies = await db.Studies.AsNoTracking().GroupBy(s => s.SiteId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        foreach (var site in sites)
        {
            var calendar = QueryService.CalendarOf(site);
            var mine = all.Where(q => q.SiteId == site.Id).ToList();
            var open = mine.Where(q => q.IsOpen).Select(q => calendar.AgeInBusinessDays(q.RaisedAt, now)).Order().ToList();
            _ = (open.Count, mine.Count(q => q.IsOverdue(now)), open.Count == 0 ? 0 : open[open.Count / 2], open.Count == 0 ? 0 : open[(int)(open.Count * 0.9)]);
            var resolution = mine.Where(q => q.BusinessDaysToResolution is not null).Select(q => q.BusinessDaysToResolution!.Value).Order().ToList();
            _ = (resolution.Count == 0 ? 0 : resolution[resolution.Count / 2], mine.Count(q => q.ReopenCount > 0), mine.GroupBy(q => q.Category).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key);
        }
        _ = studies.Count;
    }
}
