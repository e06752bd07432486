using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;
using TrialFlow.Intake;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Web.Intake;

/// <summary>
/// The dashboard's intake warnings, the same facts /health reports: an acknowledged object older than
/// <see cref="IntakeOptions.StagedAgeLimit"/> still in staging, and open quarantine items held as ProcessingFailed
/// (within the user's sites).
/// </summary>
public partial class IntakeAlerts
{
    private (int Count, DateTime Oldest)? _stuck;
    private int _failed;
    private double _limitMinutes;

    [Inject]
    private IntakeStores Stores { get; set; } = default!;

    [Inject]
    private IntakeOptions Options { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _limitMinutes = Options.StagedAgeLimit.TotalMinutes;
        var backlog = Stores.Staging.Backlog();
        if (backlog.IsStuck(Time.GetUtcNow().UtcDateTime, Options.StagedAgeLimit))
            _stuck = (backlog.Count, backlog.OldestArrival!.Value);
        await using var db = await Db.CreateDbContextAsync();
        _failed = await db.QuarantineItems.CountAsync(q => q.Status == QuarantineStatus.Open && q.Reason == QuarantineReason.ProcessingFailed);
    }
}
