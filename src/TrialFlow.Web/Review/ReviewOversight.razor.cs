using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Agreement;
using TrialFlow.Review.Service;

namespace TrialFlow.Web.Review;

/// <summary>The study manager's dashboard: agreement metrics, the pool, open tasks and reassignment with a reason.</summary>
public partial class ReviewOversight
{
    private AgreementReport? _agreement;
    private IReadOnlyList<PoolMember> _pool = [];
    private List<Row> _tasks = [];
    private string? _message;
    private Severity _severity = Severity.Info;

    [Inject]
    private TrialFlow.Web.Trials.CurrentTrial Current { get; set; } = default!;

    [Inject]
    private ReviewManagement Management { get; set; } = default!;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        var trialId = await Current.IdAsync();
        if (trialId is null)
            return;
        _agreement = await Management.AgreementAsync(trialId, CancellationToken.None);
        _pool = await Management.PoolAsync(trialId.Value, CancellationToken.None);
        _tasks = (await Management.TasksAsync(trialId, openOnly: true, CancellationToken.None)).Select(t => new Row(t)).ToList();
    }

    private async Task ReassignAsync(Row row)
    {
        try
        {
            var moved = await Management.ReassignAsync(row.Task.TaskId, row.NewReader, row.Reason ?? "", CancellationToken.None);
            (_message, _severity) = ($"{moved.SubjectKey} {moved.Timepoint} (slot {moved.Slot}) now with {moved.ReaderName}.", Severity.Success);
        }
        catch (Exception e) when (e is ArgumentException or ReviewStateException or ReviewNotFoundException)
        {
            (_message, _severity) = (e.Message, Severity.Error);
        }
        await LoadAsync();
    }

    private sealed class Row(ManagedTask task)
    {
        public ManagedTask Task { get; } = task;

        public string? NewReader { get; set; }

        public string? Reason { get; set; }
    }
}
