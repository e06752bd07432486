using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Qc.Domain;
using TrialFlow.Qc;
using TrialFlow.Qc.Evaluation;
using TrialFlow.Qc.Rules;
using TrialFlow.Qc.Service;

namespace TrialFlow.Web.Qc;

/// <summary>The QC lead's ruleset editor: draft with live validation, dry run against an archived study, publish with a reason, history and diffs.</summary>
public partial class QcRulesetEditor
{
    private QcRulesetVersion? _active;
    private IReadOnlyList<QcFileError>? _errors;
    private int _ruleCount;
    private List<(Guid Id, string Label)> _studies = [];
    private Guid? _studyId;
    private QcEvaluation? _dryRun;
    private string? _reason;
    private List<QcRulesetVersion> _history = [];
    private IReadOnlyList<DiffLine>? _diff;
    private string _diffTitle = "";
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

    private string Draft { get; set; } = "";

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        Draft = _active?.Content ?? "";
        Validate();
        await using var db = await Db.CreateDbContextAsync();
        var sites = await db.Sites.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.SiteNumber);
        var subjects = await db.Subjects.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.SubjectKey);
        _studies = (await db.Studies.AsNoTracking().OrderByDescending(s => s.LastReceivedAt).Take(200).ToListAsync())
            .Select(s => (s.Id, $"{sites.GetValueOrDefault(s.SiteId)} · {subjects.GetValueOrDefault(s.SubjectId)} · {s.Modalities} · {s.StudyInstanceUid[^12..]}")).ToList();
        // The latest arrival is the study a QC lead most often wants to try a change on.
        _studyId = _studies.Count > 0 ? _studies[0].Id : null;
    }

    private async Task LoadAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _active = (await Rulesets.ActiveAsync(db, CancellationToken.None)).Version;
        _history = await Rulesets.HistoryAsync(db, CancellationToken.None);
    }

    private Task ValidateAsync(string? _)
    {
        Validate();
        return Task.CompletedTask;
    }

    private void Validate()
    {
        _dryRun = null;
        try
        {
            _ruleCount = Rulesets.Validate(Draft).Rules.Count;
            _errors = [];
        }
        catch (RulesetException e)
        {
            _errors = e.Errors;
        }
    }

    private async Task DryRunAsync()
    {
        try
        {
            _dryRun = await Qc.DryRunAsync(_studyId!.Value, Draft, Actor.Current);
            _message = null;
        }
        catch (RulesetException e)
        {
            _errors = e.Errors;
        }
        catch (QcException e)
        {
            (_message, _severity) = (e.Message, Severity.Error);
        }
    }

    private async Task PublishAsync()
    {
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            var version = await Rulesets.PublishAsync(db, Draft, _reason!, CancellationToken.None);
            (_message, _severity) = ($"Published version {version.Number}. Studies completing intake from now on are checked with it; re-run QC on earlier studies from the QC results page.", Severity.Success);
            _reason = null;
            await LoadAsync();
            ShowDiff(version.Number - 1, version.Number);
        }
        catch (RulesetException e)
        {
            _errors = e.Errors;
        }
        catch (QcException e)
        {
            (_message, _severity) = (e.Message, Severity.Warning);
        }
    }

    private void ShowDiff(int from, int to)
    {
        var (a, b) = (_history.SingleOrDefault(v => v.Number == from), _history.SingleOrDefault(v => v.Number == to));
        if (a is null || b is null)
            return;
        _diff = LineDiff.Compute(a.Content, b.Content);
        _diffTitle = $"Changes from v{from} to v{to}";
    }

    private static string Prefix(DiffKind kind) => kind switch { DiffKind.Added => "+", DiffKind.Removed => "-", _ => " " };

    private static string Style(DiffKind kind) => kind switch
    {
        DiffKind.Added => "background: #e6ffed; display: block;",
        DiffKind.Removed => "background: #ffeef0; display: block;",
        _ => "display: block;",
    };
}
