using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Edc;

namespace TrialFlow.Web.Edc;

/// <summary>A data manager imports an ODM or CSV registry file from the EDC and sees its report (changes or conflicts).</summary>
public partial class EdcImport
{
    // Registry files are small (a few thousand subjects); a larger one is refused rather than held in memory.
    private const long MaxFileSize = 32 * 1024 * 1024;

    private IBrowserFile? _file;
    private bool _dryRun;
    private bool _busy;
    private string? _error;
    private RegistryImportReport? _report;

    [Inject]
    private TrialFlow.Web.Trials.CurrentTrial Current { get; set; } = default!;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private EdcMappings Mappings { get; set; } = default!;

    private void FileChosen(InputFileChangeEventArgs e)
    {
        _file = e.File;
        _report = null;
        _error = null;
    }

    private async Task ImportAsync()
    {
        if (_file is null)
            return;
        _busy = true;
        _error = null;
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            var trial = await Current.GetAsync() ?? throw new InvalidOperationException("You work on no trial: an administrator adds you to one.");
            await using var upload = _file.OpenReadStream(MaxFileSize);
            using var buffer = new MemoryStream();
            await upload.CopyToAsync(buffer);
            buffer.Position = 0;
            var import = new RegistryImport(db);
            _report = _file.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
                ? await import.ImportCsvAsync(trial.Id, buffer, _file.Name, _dryRun, CancellationToken.None)
                : await import.ImportOdmAsync(trial.Id, buffer, _file.Name, Mappings.ForProtocol(trial.ProtocolId), _dryRun, CancellationToken.None);
        }
        catch (Exception e) when (e is EdcException or IOException or InvalidOperationException)
        {
            (_report, _error) = (null, e.Message);
        }
        finally
        {
            _busy = false;
        }
    }

    private static string Summary(RegistryImportReport report) => report switch
    {
        { Conflicts.Count: > 0 } => $"{report.Source}: {report.Conflicts.Count} conflict(s); nothing was imported. Resolve them in the EDC or the registry, then import again.",
        { DryRun: true } => $"{report.Source}: dry run, {report.Changes.Count} change(s) would be made; nothing was saved.",
        { Applied: true } => $"{report.Source}: {report.Changes.Count} change(s) imported ({report.Unchanged} already in step).",
        _ => $"{report.Source}: nothing to change; the registry is already in step ({report.Unchanged} records).",
    };
}
