using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Web.Api;

namespace TrialFlow.Web.Components.Pages;

/// <summary>The trial dashboard: sites, subjects and studies by status, counted within the user's sites.</summary>
public partial class TrialDashboardView
{
    private List<TrialDashboard>? _dashboards;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        var dashboards = new List<TrialDashboard>();
        foreach (var trial in await TrialQueries.TrialsAsync(db, CancellationToken.None))
            if (await TrialQueries.DashboardAsync(db, trial.Id, CancellationToken.None) is { } d)
                dashboards.Add(d);
        _dashboards = dashboards;
    }
}
