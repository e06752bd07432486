using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Reports.Edc;

namespace TrialFlow.Web.Components.Pages;

/// <summary>The reconciliation list of the trial, within the viewer's sites, with a CSV download.</summary>
public partial class EdcReconciliation
{
    private IReadOnlyList<ReconciliationItem> _items = [];
    private Guid? _trialId;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _trialId = await db.Trials.OrderBy(t => t.ProtocolId).Select(t => (Guid?)t.Id).FirstOrDefaultAsync();
        if (_trialId is { } trialId)
            _items = await new ReconciliationQuery(db).RunAsync(trialId, CancellationToken.None);
    }
}
