using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using MudBlazor;
using TrialFlow.Core.Access;
using TrialFlow.Edc;
using TrialFlow.Workflows.Runtime;

namespace TrialFlow.Web.Edc;

/// <summary>
/// The reconciliation list of the trial, within the viewer's sites, with a CSV download; and the EDC exports that
/// failed, which data managers send again from here.
/// </summary>
public partial class EdcReconciliation
{
    private IReadOnlyList<ReconciliationItem> _items = [];
    private List<(ExportIncident Incident, string? SubjectKey, string? VisitKey)> _incidents = [];
    private Guid? _trialId;
    private string? _message;
    private Severity _severity = Severity.Info;

    [Inject]
    private TrialFlow.Web.Trials.CurrentTrial Current { get; set; } = default!;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private ExportIncidents Incidents { get; set; } = default!;

    [Inject]
    private IActorAccessor Actor { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _trialId = await Current.IdAsync();
        if (_trialId is { } trialId)
            _items = await new ReconciliationQuery(db).RunAsync(trialId, CancellationToken.None);
        await LoadIncidentsAsync(db);
    }

    private async Task LoadIncidentsAsync(TrialFlowDbContext db)
    {
        var open = await Incidents.OpenAsync();
        var studyIds = open.Select(i => i.StudyId).ToList();
        var studies = await (from study in db.Studies.AsNoTracking()
                             where studyIds.Contains(study.Id)
                             join subject in db.Subjects on study.SubjectId equals subject.Id
                             join visit in db.Visits on study.VisitId equals visit.Id into matched
                             from visit in matched.DefaultIfEmpty()
                             select new { study.Id, subject.SubjectKey, VisitKey = visit == null ? null : visit.Definition!.VisitKey })
            .ToDictionaryAsync(s => s.Id);
        _incidents = open.Select(i => (i, studies.GetValueOrDefault(i.StudyId)?.SubjectKey, studies.GetValueOrDefault(i.StudyId)?.VisitKey)).ToList();
    }

    private async Task ResendAsync(long incidentId)
    {
        try
        {
            var receipt = await Incidents.RetryAsync(incidentId, Actor.Current);
            (_message, _severity) = receipt is null
                ? ("That export was sent already.", Severity.Info)
                : ($"Sent to {receipt.Target}; the incident is resolved.", Severity.Success);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            (_message, _severity) = ($"The EDC refused again: {e.Message}", Severity.Error);
        }
        await using var db = await Db.CreateDbContextAsync();
        await LoadIncidentsAsync(db);
    }
}
