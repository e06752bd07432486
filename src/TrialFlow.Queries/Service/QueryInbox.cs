using TrialFlow.Queries.Domain;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Queries.Service;

/// <summary>What an inbox shows; every filter is optional. Site scoping applies on top (a site user sees their sites only).</summary>
public sealed record QueryInboxFilter
{
    public Guid? SiteId { get; init; }

    public QueryStatus? Status { get; init; }

    public QueryCategory? Category { get; init; }

    public string? AddressedTo { get; init; }

    /// <summary>Only queries still waiting for an answer and past their due date.</summary>
    public bool OverdueOnly { get; init; }

    /// <summary>Leave out resolved, closed and cancelled queries.</summary>
    public bool OpenOnly { get; init; }

    public Guid? StudyId { get; init; }

    public int Page { get; init; }

    public int PageSize { get; init; } = 25;
}

public sealed record QueryInboxRow(Guid Id, string Reference, Guid SiteId, string SiteNumber, string Title, QueryCategory Category, QueryPriority Priority,
    QueryStatus Status, string AddressedTo, DateTime RaisedAt, DateOnly DueDate, bool Overdue, int AgeBusinessDays, bool Escalated, Guid? StudyId);

public sealed record QueryInboxPage(IReadOnlyList<QueryInboxRow> Rows, int Total, int Page, int PageSize);

/// <summary>
/// The inbox: open queries first, oldest first, with due dates and their age at the site; one page per call, filtered
/// and ordered in the database (indexes on IsOpen, SiteId and RaisedAt), ages computed for the page only.
/// </summary>
public static class QueryInbox
{
    public static async Task<QueryInboxPage> PageAsync(TrialFlowDbContext db, QueryInboxFilter filter, DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        var pageSize = Math.Clamp(filter.PageSize, 1, 200);
        var page = Math.Max(0, filter.Page);
        var query = db.Queries.AsNoTracking();
        if (filter.SiteId is { } siteId)
            query = query.Where(q => q.SiteId == siteId);
        if (filter.OpenOnly || filter.OverdueOnly)
            query = query.Where(q => q.IsOpen);
        if (filter.Status is { } status)
            query = query.Where(q => q.Status == status);
        if (filter.Category is { } category)
            query = query.Where(q => q.Category == category);
        if (filter.AddressedTo is { Length: > 0 } addressedTo)
            query = query.Where(q => q.AddressedTo == addressedTo);
        if (filter.StudyId is { } studyId)
            query = query.Where(q => q.StudyId == studyId);
        if (filter.OverdueOnly)
            query = query.Where(q => (q.Status == QueryStatus.Open || q.Status == QueryStatus.Reopened) && q.OverdueFrom <= nowUtc);

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(q => q.IsOpen).ThenBy(q => q.RaisedAt).ThenBy(q => q.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(q => new
            {
                q.Id, q.Reference, q.SiteId, q.Title, q.Category, q.Priority, q.Status, q.AddressedTo, q.RaisedAt, q.RaisedLocalDate, q.DueDate,
                q.OverdueFrom, q.ResolvedAt, q.ClosedAt, q.CancelledAt, q.EscalatedAt, q.StudyId,
            })
            .ToListAsync(cancellationToken);
        var siteIds = rows.Select(r => r.SiteId).Distinct().ToList();
        var sites = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var calendars = sites.ToDictionary(s => s.Key, s => QueryService.CalendarOf(s.Value));
        return new QueryInboxPage(rows.Select(r =>
        {
            var calendar = calendars[r.SiteId];
            var end = r.ResolvedAt ?? r.CancelledAt ?? r.ClosedAt ?? nowUtc;
            var waiting = r.Status is QueryStatus.Open or QueryStatus.Reopened;
            return new QueryInboxRow(r.Id, r.Reference, r.SiteId, sites[r.SiteId].SiteNumber, r.Title, r.Category, r.Priority, r.Status, r.AddressedTo, r.RaisedAt,
                r.DueDate, waiting && nowUtc >= r.OverdueFrom, calendar.BusinessDaysBetween(r.RaisedLocalDate, calendar.LocalDate(end)), r.EscalatedAt is not null, r.StudyId);
        }).ToList(), total, page, pageSize);
    }
}
