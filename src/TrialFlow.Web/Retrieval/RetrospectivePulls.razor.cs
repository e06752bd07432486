using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Retrieval.Cohorts;
using TrialFlow.Retrieval.Domain;
using TrialFlow.Retrieval.Jobs;
using TrialFlow.Retrieval.Pacs;

namespace TrialFlow.Web.Retrieval;

/// <summary>
/// A data manager registers a site's PACS, plans a pull from a cohort file, and follows the site's pulls; the plan opens on
/// its own page, where it is started and followed.
/// </summary>
public partial class RetrospectivePulls
{
    private List<Site> _sites = [];
    private Guid? _siteId;
    private PacsForm _pacs = new();
    private bool _pacsRegistered;
    private bool _pacsHasPassword;
    private string? _pacsMessage;
    private Severity _pacsSeverity;
    private IBrowserFile? _cohort;
    private PullMethod _method = PullMethod.Move;
    private int _concurrency = 1;
    private int? _bandwidthKib;
    private bool _busy;
    private string? _planError;
    private IReadOnlyList<PullJobListing> _jobs = [];

    [Inject]
    private TrialFlow.Web.Trials.CurrentTrial Current { get; set; } = default!;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private PacsRegistry Registry { get; set; } = default!;

    [Inject]
    private PullJobs Jobs { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var trialId = await Current.IdAsync();
        await using var db = await Db.CreateDbContextAsync();
        _sites = await db.Sites.AsNoTracking().Where(s => s.TrialId == trialId).OrderBy(s => s.SiteNumber).ToListAsync();
        if (_sites.Count > 0)
            await SiteChangedAsync(_sites[0].Id);
    }

    private async Task SiteChangedAsync(Guid? siteId)
    {
        (_siteId, _pacsMessage, _planError) = (siteId, null, null);
        if (siteId is not { } id)
            return;
        await using var db = await Db.CreateDbContextAsync();
        var view = await PacsRegistry.GetAsync(db, id, CancellationToken.None);
        (_pacsRegistered, _pacsHasPassword) = (view is not null, view?.HasPassword == true);
        _pacs = view is null ? new PacsForm() : new PacsForm
        {
            AeTitle = view.AeTitle, Host = view.Host, Port = view.Port, OurAeTitle = view.OurAeTitle, DicomWebUrl = view.DicomWebUrl, DicomWebUser = view.DicomWebUser,
        };
        _jobs = await PullSummary.ListAsync(db, id, CancellationToken.None);
    }

    private async Task SavePacsAsync()
    {
        if (_siteId is not { } id)
            return;
        _busy = true;
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            var site = await db.Sites.SingleAsync(s => s.Id == id);
            var saved = await Registry.SetAsync(db, site, new PacsConnectionRequest(_pacs.AeTitle, _pacs.Host, _pacs.Port, _pacs.OurAeTitle, _pacs.DicomWebUrl,
                _pacs.DicomWebUser, _pacs.DicomWebPassword), CancellationToken.None);
            (_pacsRegistered, _pacsHasPassword, _pacs.DicomWebPassword) = (true, saved.HasPassword, null);
            (_pacsMessage, _pacsSeverity) = ($"Saved: site {site.SiteNumber}'s PACS is {Describe(saved)}.", Severity.Success);
        }
        catch (PullRequestException e)
        {
            (_pacsMessage, _pacsSeverity) = (e.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CheckPacsAsync()
    {
        if (_siteId is not { } id)
            return;
        _busy = true;
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            var check = await Registry.CheckAsync(db, id, CancellationToken.None);
            (_pacsMessage, _pacsSeverity) = check is null ? ("Register the PACS first.", Severity.Warning)
                : (string.Join(" · ", new[] { check.Dimse, check.DicomWeb }.OfType<string>()), check.Ok ? Severity.Success : Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private void CohortChosen(InputFileChangeEventArgs e) => (_cohort, _planError) = (e.File, null);

    private async Task PlanAsync()
    {
        if (_cohort is null || _siteId is not { } id)
            return;
        _busy = true;
        _planError = null;
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            var site = await db.Sites.SingleAsync(s => s.Id == id);
            await using var csv = _cohort.OpenReadStream(PullJobs.MaxCohortBytes);
            var job = await Jobs.PlanAsync(db, site, new PullRequest(_method, null, _concurrency, _bandwidthKib * 1024L), _cohort.Name, csv, CancellationToken.None);
            Navigation.NavigateTo($"/retrieval/{job.Id}");
        }
        catch (Exception e) when (e is CohortFileException or PullRequestException or PacsUnavailableException or IOException)
        {
            _planError = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private static string Describe(PacsConnectionView view) =>
        string.Join(" and ", new[] { view.AeTitle is null ? null : $"{view.AeTitle}@{view.Host}:{view.Port}", view.DicomWebUrl }.OfType<string>());

    private sealed class PacsForm
    {
        public string? AeTitle { get; set; }

        public string? Host { get; set; }

        public int? Port { get; set; }

        public string? OurAeTitle { get; set; } = PacsEndpoint.DefaultOurAeTitle;

        public string? DicomWebUrl { get; set; }

        public string? DicomWebUser { get; set; }

        public string? DicomWebPassword { get; set; }
    }
}
