using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.JSInterop;
using TrialFlow.Activation.Service;
using TrialFlow.Core.Persistence;
using TrialFlow.Intake;
using TrialFlow.Intake.Domain;

namespace TrialFlow.Web.Intake;

/// <summary>
/// Browser upload for site users: the choice of site, subject and visit is made here; the bytes go from the browser
/// straight to the upload API in resumable chunks (wwwroot/js/upload.js), the page shows progress and the summary.
/// </summary>
public partial class Upload : IAsyncDisposable
{
    private List<(Guid Id, string SiteNumber, string Name)> _sites = [];
    private List<(Guid Id, string SubjectKey)> _subjects = [];
    private List<(Guid Id, string VisitKey, string Name)> _visits = [];
    private Guid? _siteId;
    private Guid? _subjectId;
    private Guid? _visitId;
    private bool _qualification;
    private IReadOnlyList<QualificationScanView> _scans = [];
    private bool _busy;
    private int _progressFiles;
    private int _totalFiles;
    private long _sentBytes;
    private long _totalBytes;
    private (int Settled, int Received)? _processing;
    private string? _error;
    private UploadSummary? _summary;
    private IJSObjectReference? _module;
    private DotNetObjectReference<Upload>? _self;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private IJSRuntime Js { get; set; } = default!;

    [Inject]
    private IntakeOptions Intake { get; set; } = default!;

    private string _qualificationAeTitle => Intake.QualificationAeTitle;

    private double Percent => _totalBytes == 0 ? 0 : 100.0 * _sentBytes / _totalBytes;

    protected override async Task OnInitializedAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _sites = (await db.Sites.AsNoTracking().OrderBy(s => s.SiteNumber).Select(s => new { s.Id, s.SiteNumber, s.Name }).ToListAsync())
            .Select(s => (s.Id, s.SiteNumber, s.Name)).ToList();
        if (_sites.Count == 1)
            await SiteChangedAsync(_sites[0].Id);
    }

    private async Task SiteChangedAsync(Guid? siteId)
    {
        _siteId = siteId;
        (_subjectId, _visitId, _visits) = (null, null, []);
        await using var db = await Db.CreateDbContextAsync();
        _subjects = (await db.Subjects.AsNoTracking().Where(s => s.SiteId == siteId).OrderBy(s => s.SubjectKey).Select(s => new { s.Id, s.SubjectKey }).ToListAsync())
            .Select(s => (s.Id, s.SubjectKey)).ToList();
        await LoadQualificationScansAsync();
    }

    private async Task QualificationChangedAsync(bool qualification)
    {
        _qualification = qualification;
        // A qualification scan belongs to no subject or visit: what was chosen for subject data is let go.
        (_subjectId, _visitId, _visits) = (null, null, []);
        await LoadQualificationScansAsync();
    }

    private async Task LoadQualificationScansAsync()
    {
        if (!_qualification || _siteId is not { } siteId)
            return;
        await using var db = await Db.CreateDbContextAsync();
        _scans = (await ScannerQualification.ForSiteAsync(db, siteId, CancellationToken.None)).Scans;
    }

    private async Task SubjectChangedAsync(Guid? subjectId)
    {
        _subjectId = subjectId;
        _visitId = null;
        await using var db = await Db.CreateDbContextAsync();
        _visits = (await db.Visits.AsNoTracking().Include(v => v.Definition).Where(v => v.SubjectId == subjectId).OrderBy(v => v.Definition!.Order)
            .Select(v => new { v.Id, v.Definition!.VisitKey, v.Definition.Name }).ToListAsync())
            .Select(v => (v.Id, v.VisitKey, v.Name)).ToList();
    }

    private async Task UploadAsync()
    {
        (_busy, _error, _summary, _processing, _progressFiles, _sentBytes) = (true, null, null, null, 0, 0);
        try
        {
            _module ??= await Js.InvokeAsync<IJSObjectReference>("import", "./js/upload.js");
            _self ??= DotNetObjectReference.Create(this);
            var result = await _module.InvokeAsync<UploadSummary>("upload", TimeSpan.FromHours(4),
                new[] { "upload-folder", "upload-files" },
                new { siteId = _siteId, subjectId = _subjectId, visitId = _visitId, purpose = _qualification ? IntakePurpose.Qualification.ToString() : IntakePurpose.Subject.ToString() }, _self);
            if (result.Error is not null)
                _error = result.Error;
            else
                _summary = result;
        }
        catch (JSException e)
        {
            // upload.js answers failures as { error }; this is the script itself failing. Its message carries the
            // JavaScript stack after the first line, which means nothing to a site user.
            _error = $"The upload stopped: {e.Message.Split('\n', 2)[0].Trim()}";
        }
        finally
        {
            _busy = false;
        }
        await LoadQualificationScansAsync();
    }

    /// <summary>Called by the uploader as chunks are acknowledged.</summary>
    [JSInvokable]
    public Task Progress(int filesDone, int files, long sent, long total)
    {
        (_progressFiles, _totalFiles, _sentBytes, _totalBytes) = (filesDone, files, sent, total);
        return InvokeAsync(StateHasChanged);
    }

    /// <summary>Called by the uploader while intake settles the received files (submit answered 202).</summary>
    [JSInvokable]
    public Task Processing(int settled, int received)
    {
        _processing = (settled, received);
        return InvokeAsync(StateHasChanged);
    }

    private static string Megabytes(long bytes) => (bytes / 1_048_576.0).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        _self?.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; so is the module.
            }
        }
    }

    /// <summary>What upload.js answers: an error sentence, or the session's summary plus the files the server did not accept.</summary>
    private sealed record UploadSummary(string? Error, int Received, int Archived, int Duplicates, int Held, int NotAccepted, List<UploadedFile> Files);

    private sealed record UploadedFile(string Name, string Outcome, string Reason);
}
