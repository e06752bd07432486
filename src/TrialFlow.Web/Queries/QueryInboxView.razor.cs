using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;
using TrialFlow.Core.Trials;
using TrialFlow.Web.Api;

namespace TrialFlow.Web.Queries;

/// <summary>
/// The query inbox. Site users (and monitors) see their sites' queries, open first and oldest first; CRO and sponsor
/// roles see every site with filters. One page of 25 is read per change, filtered and ordered by the database.
/// </summary>
public partial class QueryInboxView
{
    private QueryInboxFilter _filter = new() { PageSize = 25 };
    private QueryInboxPage _page = new([], 0, 0, 25);
    private List<Site> _sites = [];
    private List<QueryNotificationResponse> _notifications = [];
    private bool _siteScoped;
    private int _siteCount;
    private string _role = "";

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private string PageText => _page.Total == 0 ? "0 queries"
        : $"{_filter.Page * _filter.PageSize + 1}–{Math.Min(_page.Total, (_filter.Page + 1) * _filter.PageSize)} of {_page.Total}";

    protected override async Task OnInitializedAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _role = db.Actor.Role;
        _siteScoped = TrialFlowRoles.SiteScoped.Contains(_role);
        _sites = await db.Sites.AsNoTracking().OrderBy(s => s.SiteNumber).ToListAsync();
        _siteCount = _sites.Count;
        _notifications = await db.QueryNotifications.AsNoTracking().Where(n => n.RecipientRole == _role).OrderByDescending(n => n.CreatedAt).Take(5)
            .Select(n => new QueryNotificationResponse(n.Id, n.QueryId, n.Title, n.CreatedAt)).ToListAsync();
        await LoadAsync(db);
    }

    private async Task FilterAsync(QueryInboxFilter filter)
    {
        // A changed filter starts at the first page; paging keeps the filter.
        _filter = filter.Page == _filter.Page ? filter with { Page = 0 } : filter;
        await using var db = await Db.CreateDbContextAsync();
        await LoadAsync(db);
    }

    private async Task LoadAsync(TrialFlowDbContext db) => _page = await QueryInbox.PageAsync(db, _filter, Time.GetUtcNow().UtcDateTime);

    private void Open(QueryInboxRow row) => Navigation.NavigateTo($"/queries/{row.Id}");

    internal static Color StatusColor(QueryStatus status) => status switch
    {
        QueryStatus.Open or QueryStatus.Reopened => Color.Warning,
        QueryStatus.Answered => Color.Info,
        QueryStatus.Resolved or QueryStatus.Closed => Color.Success,
        _ => Color.Default,
    };
}
