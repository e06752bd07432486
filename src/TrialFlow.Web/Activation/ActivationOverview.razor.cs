using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Activation.Domain;
using TrialFlow.Activation.Service;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Web.Activation;

/// <summary>The study team's view of site start-up: sites by status and what each still owes; study managers onboard sites here.</summary>
public partial class ActivationOverview
{
    private IReadOnlyList<SiteActivationRow> _rows = [];
    private Guid? _trialId;
    private string? _number, _name, _country, _timeZone, _aeTitles, _networks, _profile, _certificate, _error;

    [Inject]
    private TrialFlow.Web.Trials.CurrentTrial Current { get; set; } = default!;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private SiteActivation Activation { get; set; } = default!;

    [Inject]
    private SiteOnboarding Onboarding { get; set; } = default!;

    [Inject]
    private DeidProfileCatalog Profiles { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _trialId = await Current.IdAsync();
        if (_trialId is { } trialId)
            _rows = (await ActivationDashboard.LoadAsync(db, Activation, trialId, CancellationToken.None)).Sites;
    }

    internal static Color StatusColor(SiteStatus status) => status switch
    {
        SiteStatus.Active => Color.Success,
        SiteStatus.Qualifying => Color.Info,
        SiteStatus.Suspended => Color.Warning,
        SiteStatus.Closed => Color.Dark,
        _ => Color.Default,
    };

    private async Task OnboardAsync()
    {
        if (_trialId is not { } trialId)
            return;
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            var site = await Onboarding.OnboardAsync(db, trialId,
                new NewSite(_number ?? "", _name ?? "", _country ?? "", _timeZone ?? "", List(_aeTitles), List(_networks), _profile, _certificate), CancellationToken.None);
            Navigation.NavigateTo($"/activation/sites/{site.Id}");
        }
        catch (Exception e) when (e is ActivationException or ArgumentException)
        {
            _error = e.Message;
        }
    }

    private static List<string> List(string? text) =>
        (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
