using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Activation.Domain;
using TrialFlow.Activation.Service;
using TrialFlow.Activation.Storage;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Activation;

/// <summary>One site's activation: its checklist with the evidence recorded, the steps of its lifecycle, and (for study managers) recording items and changing its status.</summary>
public partial class SiteActivationPage
{
    private readonly Dictionary<string, string?> _evidence = [];
    private readonly Dictionary<string, string?> _users = [];
    private readonly Dictionary<string, IBrowserFile> _files = [];
    private SiteChecklist? _checklist;
    private SiteScanners? _scanners;
    private SiteSendersView _senders = new([], null);
    private string? _senderTitles, _senderNetworks, _senderCertificate, _senderReason, _reevaluateReason;
    private bool _loaded, _canSetUp;
    private SiteStatus? _nextStatus;
    private string? _reason, _message;
    private Severity _severity = Severity.Info;

    [Parameter]
    public Guid SiteId { get; set; }

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private SiteActivation Activation { get; set; } = default!;

    [Inject]
    private SiteOnboarding Onboarding { get; set; } = default!;

    [Inject]
    private EvidenceFiles EvidenceFiles { get; set; } = default!;

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        _canSetUp = (await Authorization.AuthorizeAsync(user, Policies.SiteSetup)).Succeeded;
        await using var db = await Db.CreateDbContextAsync();
        Show(await Activation.ChecklistAsync(db, SiteId, CancellationToken.None));
        _scanners = _checklist is null ? null : await ScannerQualification.ForSiteAsync(db, SiteId, CancellationToken.None);
        await ShowSendersAsync(db);
        _loaded = true;
    }

    private void Show(SiteChecklist? checklist)
    {
        _checklist = checklist;
        foreach (var item in checklist?.Items ?? [])
        {
            _evidence.TryAdd(item.Definition.Key, null);
            _users[item.Definition.Key] = item.UsersOutstanding.FirstOrDefault();
        }
    }

    private Task CompleteAsync(string key) => ActAsync(async db =>
    {
        EvidenceFile? stored = null;
        if (_files.Remove(key, out var chosen))
        {
            // The browser streams the file through the circuit; one over the store's limit is refused by name before.
            if (chosen.Size > EvidenceFiles.MaxBytes)
                throw EvidenceFiles.TooLarge(chosen.Name);
            try
            {
                await using var content = chosen.OpenReadStream(EvidenceFiles.MaxBytes);
                stored = await EvidenceFiles.SaveAsync(chosen.Name, content, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or Microsoft.JSInterop.JSException or InvalidOperationException)
            {
                // The browser's file went away (the row was redrawn, the file changed on disk): nothing was recorded.
                throw new ActivationException($"The file '{chosen.Name}' could not be read from your browser; choose it again and record. ({e.Message})");
            }
        }
        var checklist = await Activation.CompleteItemAsync(db, SiteId, key, _users.GetValueOrDefault(key), _evidence.GetValueOrDefault(key) ?? "", CancellationToken.None, stored);
        _evidence[key] = null;
        return (checklist, $"Recorded: {checklist.Items.Single(i => i.Definition.Key == key).Definition.Title}.");
    });

    private Task ChangeStatusAsync() => ActAsync(async db =>
    {
        if (_nextStatus is not { } to)
            throw new ActivationException("Choose the new status.");
        var checklist = await Activation.ChangeStatusAsync(db, SiteId, to, _reason ?? "", CancellationToken.None);
        (_nextStatus, _reason) = (null, null);
        return (checklist, $"Site {checklist.SiteNumber} is now {checklist.Status}.");
    });

    private Task ChangeSendersAsync() => ActAsync(async db =>
    {
        var site = await Onboarding.ChangeSendersAsync(db, SiteId,
            new SiteSenders(Split(_senderTitles), Split(_senderNetworks), _senderReason ?? "", _senderCertificate), CancellationToken.None);
        await ShowSendersAsync(db);
        _senderReason = null;
        return ((await Activation.ChecklistAsync(db, SiteId, CancellationToken.None))!, $"Senders of site {site.SiteNumber} saved: the DICOM listener follows within seconds.");
    });

    private Task ReevaluateAsync(Guid scanId) => ActAsync(async db =>
    {
        await ScannerQualification.ReevaluateAsync(db, scanId, _reevaluateReason ?? "", CancellationToken.None);
        _reevaluateReason = null;
        _scanners = await ScannerQualification.ForSiteAsync(db, SiteId, CancellationToken.None);
        return ((await Activation.ChecklistAsync(db, SiteId, CancellationToken.None))!, "The scan is being evaluated again; refresh in a moment for the verdict.");
    });

    private async Task ShowSendersAsync(TrialFlowDbContext db)
    {
        _senders = await SiteOnboarding.SendersAsync(db, SiteId, CancellationToken.None);
        _senderTitles = string.Join(", ", _senders.Senders.Select(s => s.AeTitle));
        _senderNetworks = string.Join(", ", _senders.Senders.SelectMany(s => s.Networks.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct());
        _senderCertificate = _senders.ClientCertificateSha256;
    }

    private static string[] Split(string? text) => (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task ActAsync(Func<TrialFlowDbContext, Task<(SiteChecklist Checklist, string Message)>> action)
    {
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            var (checklist, message) = await action(db);
            Show(checklist);
            (_message, _severity) = (message, Severity.Success);
        }
        catch (Exception e) when (e is ActivationException or ArgumentException)
        {
            (_message, _severity) = (e.Message, Severity.Error);
        }
    }
}
