using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Intake;

/// <summary>
/// The quarantine by study: data managers select studies and release them to one subject, or reject them, with one
/// reason for all. Grouping and paging happen in the database, so hundreds of held files are a few rows here.
/// </summary>
public partial class Quarantine
{
    private const int PageSize = QuarantineStudies.DefaultPageSize;

    private QuarantineStudyPage _page = new(0, 0, 0, PageSize, []);
    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expanded = new(StringComparer.Ordinal);
    private List<(Guid Id, Guid SiteId, string SubjectKey)> _subjects = [];
    private Guid? _subjectId;
    private string? _reason;
    private bool _deciding;
    private string? _message;
    private Severity _severity = Severity.Info;
    private List<string> _failures = [];

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private QuarantineBatchDecisions Batch { get; set; } = default!;

    private List<QuarantineStudyGroup> Selected => _page.Groups.Where(g => _selected.Contains(g.Key)).ToList();

    private List<string> SelectedSites => Selected.Select(g => g.SiteNumber).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private IEnumerable<(Guid Id, Guid SiteId, string SubjectKey)> SubjectsOfTheSelection =>
        Selected.Select(g => g.SiteId).Distinct().ToList() is [var site] ? _subjects.Where(s => s.SiteId == site) : [];

    private bool AllSelected => _page.Groups.Count > 0 && _page.Groups.All(g => _selected.Contains(g.Key));

    /// <summary>No subject chosen, and every selected study was held only because processing failed: it goes in again as it came.</summary>
    private bool ReleasesWithoutSubject => _subjectId is null && Selected is { Count: > 0 } selected && selected.All(g => g.CanReleaseWithoutSubject);

    private bool CanReject => !_deciding && Selected.Count > 0 && !string.IsNullOrWhiteSpace(_reason);

    private bool CanRelease => CanReject && SelectedSites.Count == 1 && (_subjectId is not null || ReleasesWithoutSubject);

    private int PageCount => (_page.TotalGroups + PageSize - 1) / PageSize;

    private string SubjectLabel => SelectedSites is [var site] ? $"Subject of site {site}" : "Subject (select studies of one site)";

    private string SelectionSummary => Selected switch
    {
        [] => "Select studies to decide on.",
        var groups => $"{groups.Count} stud{(groups.Count == 1 ? "y" : "ies")} selected, {groups.Sum(g => g.FileCount)} object(s)",
    };

    protected override async Task OnInitializedAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _subjects = (await db.Subjects.AsNoTracking().OrderBy(s => s.SubjectKey).Select(s => new { s.Id, s.SiteId, s.SubjectKey }).ToListAsync())
            .Select(s => (s.Id, s.SiteId, s.SubjectKey)).ToList();
        await LoadAsync(0);
    }

    private async Task LoadAsync(int skip)
    {
        await using var db = await Db.CreateDbContextAsync();
        _page = await QuarantineStudies.ListAsync(db, QuarantineStatus.Open, skip, PageSize, CancellationToken.None);
        var shown = _page.Groups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        _selected.IntersectWith(shown);
        _expanded.IntersectWith(shown);
        KeepSubjectOfTheSelection();
    }

    private async Task ShowPageAsync(int page)
    {
        _selected.Clear();
        await LoadAsync((page - 1) * PageSize);
    }

    private void Select(QuarantineStudyGroup group, bool on)
    {
        if (on)
            _selected.Add(group.Key);
        else
            _selected.Remove(group.Key);
        KeepSubjectOfTheSelection();
    }

    private void SelectAll(bool on)
    {
        _selected.Clear();
        if (on)
            _selected.UnionWith(_page.Groups.Select(g => g.Key));
        KeepSubjectOfTheSelection();
    }

    // A subject chosen for one site must not silently apply to studies of another.
    private void KeepSubjectOfTheSelection()
    {
        if (_subjectId is { } chosen && !SubjectsOfTheSelection.Any(s => s.Id == chosen))
            _subjectId = null;
    }

    private void ToggleFiles(string key)
    {
        if (!_expanded.Remove(key))
            _expanded.Add(key);
    }

    private Task ReleaseAsync()
    {
        var subject = _subjectId;
        var what = subject is { } id ? $"released to {_subjects.Single(s => s.Id == id).SubjectKey}" : "sent through intake again";
        return DecideAsync(selection => Batch.ReleaseAsync(selection, subject, null, _reason!, CancellationToken.None), what);
    }

    private Task RejectAsync() =>
        DecideAsync(selection => Batch.RejectAsync(selection, _reason!, CancellationToken.None), "rejected; their identified bytes were deleted");

    private async Task DecideAsync(Func<QuarantineSelection, Task<QuarantineBatchResult>> decide, string what)
    {
        var groups = Selected;
        // By item id, not study key: the decision covers the objects shown, not any that arrived since.
        var selection = new QuarantineSelection(groups.SelectMany(g => g.ItemIds).ToList(), []);
        _deciding = true;
        _failures = [];
        try
        {
            var result = await decide(selection);
            var studies = $"{groups.Count} stud{(groups.Count == 1 ? "y" : "ies")}";
            _message = $"{result.Decided} object{(result.Decided == 1 ? "" : "s")} of {studies} {what}."
                + (result.Failed > 0 ? $" {result.Failed} could not be decided and stay held:" : "");
            _severity = result.Failed == 0 ? Severity.Success : Severity.Warning;
            var groupOf = groups.SelectMany(g => g.ItemIds.Select(id => (id, g))).ToDictionary(x => x.id, x => x.g);
            _failures = result.Items.Where(i => !i.Decided)
                .Select(i => $"site {groupOf[i.ItemId].SiteNumber} · {groupOf[i.ItemId].PatientIdHint ?? "unreadable"} · object {i.ItemId.ToString()[..8]}: {i.Problem}")
                .ToList();
            _reason = null;
            _subjectId = null;
            _selected.Clear();
        }
        catch (QuarantineBatchRefusedException e)
        {
            (_message, _severity) = (e.Message, Severity.Error);
        }
        finally
        {
            _deciding = false;
        }

        await LoadAsync(_page.Skip);
    }

    private static string Received(QuarantineStudyGroup group)
    {
        var (oldest, newest) = (group.OldestReceivedAt.ToString("yyyy-MM-dd HH:mm"), group.NewestReceivedAt.ToString("yyyy-MM-dd HH:mm"));
        return oldest == newest ? oldest : $"{oldest} – {newest}";
    }
}
