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
    private TrialFlow.Web.Trials.CurrentTrial Current { get; set; } = default!;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        // The trial chosen in the app bar's switcher; the others are a switch away.
        var trialId = await Current.IdAsync();
        _dashboards = trialId is { } id && await TrialQueries.DashboardAsync(db, id, CancellationToken.None) is { } d ? [d] : [];
    }
}
