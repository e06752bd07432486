using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Qc.Domain;
using TrialFlow.Qc;
using TrialFlow.Qc.Service;

namespace TrialFlow.Web.Qc;

/// <summary>The latest QC result of each study, with its findings; QC leads re-run studies checked with an older ruleset.</summary>
public partial class QcResults
{
    private List<Row> _rows = [];
    private int _activeNumber;
    private string? _message;
    private Severity _severity = Severity.Info;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private QcRulesetStore Rulesets { get; set; } = default!;

    [Inject]
    private QcService Qc { get; set; } = default!;

    [Inject]
    private IActorAccessor Actor { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _activeNumber = (await Rulesets.ActiveAsync(db, CancellationToken.None)).Version.Number;
        var results = await db.QcResults.AsNoTracking().Include(r => r.Findings).OrderByDescending(r => r.RanAt).Take(1000).ToListAsync();
        var latest = results.GroupBy(r => r.StudyId).Select(g => g.First()).Take(300).ToList();
        var studyIds = latest.Select(r => r.StudyId).ToList();
        var studies = await db.Studies.AsNoTracking().Where(s => studyIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id);
        var sites = await db.Sites.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.SiteNumber);
        var subjects = await db.Subjects.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.SubjectKey);
        var visits = await db.Visits.AsNoTracking().Join(db.VisitDefinitions, v => v.VisitDefinitionId, d => d.Id, (v, d) => new { v.Id, d.VisitKey }).ToDictionaryAsync(v => v.Id, v => v.VisitKey);
        _rows = latest.Where(r => studies.ContainsKey(r.StudyId)).Select(r =>
        {
            var study = studies[r.StudyId];
            return new Row(r, sites.GetValueOrDefault(study.SiteId, ""), subjects.GetValueOrDefault(study.SubjectId, ""),
                study.VisitId is { } v ? visits.GetValueOrDefault(v, "") : "", study.StudyInstanceUid);
        }).ToList();
    }

    private async Task RerunAsync(Row row)
    {
        try
        {
            var result = await Qc.RerunAsync(row.Result.StudyId, Actor.Current, row.Reason!);
            (_message, _severity) = ($"QC ran again with ruleset v{result.RulesetNumber}: {result.Outcome}.", Severity.Success);
        }
        catch (QcException e)
        {
            (_message, _severity) = (e.Message, Severity.Error);
        }
        await LoadAsync();
    }

    private static Color Color(QcOutcome outcome) => outcome switch
    {
        QcOutcome.Passed => MudBlazor.Color.Success,
        QcOutcome.PassedWithFindings => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Error,
    };

    private sealed class Row(QcResult result, string site, string subject, string visit, string studyUid)
    {
        public QcResult Result { get; } = result;

        public string Site { get; } = site;

        public string Subject { get; } = subject;

        public string Visit { get; } = visit;

        public string StudyUid { get; } = studyUid;

        public string? Reason { get; set; }
    }
}
