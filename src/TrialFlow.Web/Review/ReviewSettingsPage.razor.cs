using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Service;

namespace TrialFlow.Web.Review;

/// <summary>
/// The study manager edits the trial's review settings and its reader pool. Every rule (readers 1–5, known adjudication
/// variables, a reviewer's role, training record and date) lives in the services; the page shows what they refuse.
/// </summary>
public partial class ReviewSettingsPage
{
    private Guid _trialId;
    private ReviewSettingsView? _settings;
    private int _readers;
    private int _dueDays;
    private string? _template;
    private HashSet<string> _variables = [];
    private string? _settingsReason;
    private List<PoolRow> _pool = [];
    private IReadOnlyList<ReviewerCandidate> _candidates = [];
    private IReadOnlyList<(Guid? Id, string Label)> _sites = [];
    private string? _candidate;
    private string? _trainingRecord;
    private string? _qualifiedOn;
    private Guid? _affiliatedSite;
    private string? _message;
    private Severity _severity = Severity.Info;

    [Inject]
    private TrialFlow.Web.Trials.CurrentTrial Current { get; set; } = default!;

    [Inject]
    private ReviewSettingsService Settings { get; set; } = default!;

    [Inject]
    private ReviewManagement Management { get; set; } = default!;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await using (var db = await Db.CreateDbContextAsync())
        {
            var trialId = await Current.IdAsync();
            if (trialId is null)
                return;
            _trialId = trialId.Value;
            _sites = (await db.Sites.AsNoTracking().Where(s => s.TrialId == _trialId).OrderBy(s => s.SiteNumber).Select(s => new { s.Id, s.SiteNumber, s.Name }).ToListAsync())
                .Select(s => ((Guid?)s.Id, $"{s.SiteNumber} {s.Name}")).ToList();
        }
        ShowSettings(await Settings.GetAsync(_trialId, CancellationToken.None));
        _candidates = await Management.CandidatesAsync(CancellationToken.None);
        _qualifiedOn = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await LoadPoolAsync();
    }

    private void ShowSettings(ReviewSettingsView settings)
    {
        _settings = settings;
        (_readers, _dueDays, _template) = (settings.ReadersPerTimepoint, settings.TaskDueDays, settings.FormTemplateId);
        _variables = settings.AdjudicationVariables.ToHashSet();
    }

    private async Task LoadPoolAsync() =>
        _pool = (await Management.PoolAsync(_trialId, CancellationToken.None)).Select(m => new PoolRow(m)).ToList();

    private void Toggle(string variable, bool on)
    {
        if (on)
            _variables.Add(variable);
        else
            _variables.Remove(variable);
    }

    private async Task SaveSettingsAsync()
    {
        // Keep the charter's order (the enum's), whatever order the boxes were ticked in.
        var chosen = _settings!.KnownVariables.Where(_variables.Contains).ToList();
        if (await Run(() => Settings.ChangeAsync(_trialId, new ReviewSettingsChange(_readers, chosen, _dueDays, _template, _settingsReason), CancellationToken.None)) is { } saved)
        {
            ShowSettings(saved);
            _settingsReason = null;
            (_message, _severity) = ($"Saved: {saved.ReadersPerTimepoint} readers per timepoint; adjudication on {string.Join(", ", saved.AdjudicationVariables)}.", Severity.Success);
        }
    }

    private async Task SetActiveAsync(PoolRow row)
    {
        if (await Run(() => Management.SetActiveAsync(_trialId, row.Member.Id, !row.Member.Active, row.Reason, CancellationToken.None)) is { } member)
        {
            (_message, _severity) = ($"{member.DisplayName} is {(member.Active ? "back in" : "out of")} the {member.Role.ToString().ToLowerInvariant()} pool.", Severity.Success);
            await LoadPoolAsync();
        }
    }

    private async Task QualifyAsync()
    {
        var candidate = _candidates.FirstOrDefault(c => Key(c) == _candidate);
        if (candidate is null)
        {
            (_message, _severity) = ("Choose the user to add.", Severity.Warning);
            return;
        }
        if (!DateOnly.TryParseExact(_qualifiedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var qualifiedOn))
        {
            (_message, _severity) = ($"The date qualified '{_qualifiedOn}' is not a date (yyyy-MM-dd).", Severity.Warning);
            return;
        }
        if (await Run(() => Management.QualifyAsync(_trialId, candidate.UserName, candidate.Role, _trainingRecord ?? "", qualifiedOn, _affiliatedSite, CancellationToken.None)) is not null)
        {
            (_message, _severity) = ($"{candidate.DisplayName} is qualified as {candidate.Role.ToString().ToLowerInvariant()} from {qualifiedOn:yyyy-MM-dd}.", Severity.Success);
            (_candidate, _trainingRecord, _affiliatedSite) = (null, null, null);
            await LoadPoolAsync();
        }
    }

    private async Task<T?> Run<T>(Func<Task<T>> action) where T : class
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is ArgumentException or ReviewStateException or ReviewNotFoundException)
        {
            (_message, _severity) = (e.Message, Severity.Error);
            return null;
        }
    }

    private static string Key(ReviewerCandidate candidate) => $"{candidate.UserName}:{candidate.Role}";

    private static string Label(ReviewerCandidate candidate) => $"{candidate.DisplayName} ({candidate.UserName}) · {candidate.Role}";

    private string? CandidateLabel(string? key) => _candidates.FirstOrDefault(c => Key(c) == key) is { } c ? Label(c) : key;

    private static string VariableLabel(string variable) => variable switch
    {
        "OverallResponse" => "Overall response (any timepoint)",
        "DateOfProgression" => "Date of progression",
        "BestOverallResponse" => "Best overall response",
        _ => variable,
    };

    private sealed class PoolRow(PoolMember member)
    {
        public PoolMember Member { get; } = member;

        public string? Reason { get; set; }
    }
}
