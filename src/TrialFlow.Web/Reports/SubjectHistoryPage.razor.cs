using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Core.Persistence;
using TrialFlow.Reports.History;

namespace TrialFlow.Web.Reports;

/// <summary>
/// One subject's imaging history, read-only: the same sections, from the same records and cut-off, as the PDF dossier
/// offered for download here.
/// </summary>
public partial class SubjectHistoryPage
{
    private const int RowsShown = 200;

    private readonly HashSet<HistoryTable> _expanded = [];
    private SubjectHistory? _history;
    private bool _loaded;

    /// <summary>The subject whose history is shown.</summary>
    [Parameter]
    public Guid SubjectId { get; set; }

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private SubjectHistoryBuilder Histories { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _history = await Histories.BuildAsync(db, SubjectId, Time.GetUtcNow().UtcDateTime);
        _loaded = true;
    }

    private static string Value(HistoryFact fact) => fact.Value;

    // Long tables (the audit trail) show their first rows until asked: the page stays quick, the PDF has them all.
    private int Shown(HistorySection section, HistoryTable table) => _expanded.Contains(table) ? table.Rows.Count : RowsShown;

    private IEnumerable<IReadOnlyList<string>> Page(HistorySection section, HistoryTable table) => table.Rows.Take(Shown(section, table));

    private void ShowAll(HistorySection section, HistoryTable table) => _expanded.Add(table);

    private static Severity ToneSeverity(HistoryTone tone) => tone switch
    {
        HistoryTone.Good => MudBlazor.Severity.Success,
        HistoryTone.Warning => MudBlazor.Severity.Warning,
        HistoryTone.Problem => MudBlazor.Severity.Error,
        _ => MudBlazor.Severity.Info,
    };
}
