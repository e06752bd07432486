using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Retrieval.Domain;
using TrialFlow.Retrieval.Jobs;

namespace TrialFlow.Web.Retrieval;

/// <summary>One pull: its plan, its controls, and its progress per subject and per study, refreshed while it runs.</summary>
public partial class PullJobPage
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private PullSummary? _summary;
    private bool _loaded;
    private bool _busy;
    private string? _error;
    private PeriodicTimer? _timer;
    private readonly CancellationTokenSource _closing = new();

    [Parameter]
    public Guid JobId { get; set; }

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private PullJobs Jobs { get; set; } = default!;

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
            _ = RefreshWhileOpenAsync();
    }

    private async Task RefreshWhileOpenAsync()
    {
        _timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await _timer.WaitForNextTickAsync(_closing.Token))
            {
                // A planned or settled pull changes only when someone acts on it: no need to ask again.
                if (_summary is { State: PullJobState.Planned } or { Settled: true })
                    continue;
                await LoadAsync();
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task LoadAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _summary = await PullSummary.LoadAsync(db, JobId, _closing.Token);
        _loaded = true;
    }

    private async Task ChangeAsync(PullCommand command)
    {
        _busy = true;
        _error = null;
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            await Jobs.ChangeAsync(db, JobId, command, CancellationToken.None);
            await LoadAsync();
        }
        catch (PullJobStateException e)
        {
            _error = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _timer?.Dispose();
        _closing.Dispose();
    }
}
