using Microsoft.AspNetCore.Components;
using MudBlazor;
using TrialFlow.Core.Access;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Forms;
using TrialFlow.Review.Service;
using TrialFlow.Web.Viewer;

namespace TrialFlow.Web.Review;

/// <summary>
/// A reader's task: the images region (where the viewer sits) beside the form rendered from its template; drafts show
/// the computed fields and what is still wrong; signing asks for the password again and locks the read.
/// </summary>
public partial class ReadTask
{
    private ReadTaskView? _view;
    private EditableForm _form = new();
    private IReadOnlyDictionary<string, string?> _computed = new Dictionary<string, string?>();
    private IReadOnlyList<FormError> _errors = [];
    private bool _notFound;
    private string? _password;
    private string? _reason;
    private string? _message;
    private Severity _severity = Severity.Info;

    [Parameter]
    public Guid TaskId { get; set; }

    [Inject]
    private ReadingService Reading { get; set; } = default!;

    [Inject]
    private IActorAccessor Actor { get; set; } = default!;

    [Inject]
    private ReaderImageAccess Images { get; set; } = default!;

    private IReadOnlyList<ViewerStudy>? _viewerStudies;
    private Guid? _viewerTaskId;

    /// <summary>The length the reader measured last in the viewer, offered to every row with a measurement field.</summary>
    private ViewerMeasurement? _lastMeasurement;

    private bool Locked => _view?.Current?.Status is ReadStatus.Signed or ReadStatus.Superseded;

    private string Status => _view?.Current is { } c ? $"version {c.Version}, {c.Status}" : "not started";

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            _view = await Reading.OpenAsync(TaskId, Actor.Current, CancellationToken.None);
        }
        catch (ReviewNotFoundException)
        {
            _notFound = true;
            return;
        }
        _form = _view.Current is { } current ? EditableForm.From(current.Data)
            : _view.Prior.Count > 0 ? EditableForm.FollowUpOf(_view.Prior[^1].Data)
            : new EditableForm();
        _computed = _view.Current?.Computed ?? new Dictionary<string, string?>();
        // The viewer runs only once the circuit is up: a manifest for the prerendered HTML would read every slice's
        // header for nothing before the first image. Signing or correcting does not change the images, so the viewer
        // keeps its series, slice and zoom: the manifest is built once per task.
        if (RendererInfo.IsInteractive && _viewerTaskId != TaskId)
        {
            _viewerStudies = await Images.ManifestAsync(TaskId, Actor.Current.UserId, CancellationToken.None);
            _viewerTaskId = TaskId;
        }
    }

    /// <summary>Drops the measured length into the row's measurement field and notes where it was measured.</summary>
    private static void UseMeasurement(FormGroup group, Dictionary<string, string?> row, ViewerMeasurement measurement)
    {
        foreach (var field in group.Fields.Where(f => f.Measurement))
            row[field.Key] = measurement.LengthMm.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        if (group.Fields.Any(f => f.Key == "image"))
            row["image"] = $"{measurement.SeriesInstanceUid}/{measurement.SopInstanceUid}#{measurement.Frame}";
    }

    private async Task SaveDraftAsync()
    {
        var result = await Run(() => Reading.SaveDraftAsync(TaskId, _form.ToFormData(), Actor.Current, CancellationToken.None));
        if (result is null)
            return;
        _computed = result.Read?.Computed ?? _computed;
        _errors = result.Errors;
        (_message, _severity) = result.Errors.Count == 0 ? ("Draft saved; the form is complete.", Severity.Success) : ("Draft saved; fix the points below before signing.", Severity.Info);
    }

    private string? _signError;

    private async Task SignAsync()
    {
        var result = await Run(() => Reading.SignAsync(TaskId, _form.ToFormData(), _password, Actor.Current, CancellationToken.None));
        _password = null;
        if (result is null)
            return;
        _errors = result.Errors;
        if (!result.Succeeded)
        {
            (_message, _severity) = ("Not signed: fix the points below.", Severity.Warning);
            return;
        }
        await LoadAsync();
        (_message, _severity) = ("Signed and locked.", Severity.Success);
    }

    private async Task CorrectAsync()
    {
        if (string.IsNullOrWhiteSpace(_reason))
        {
            (_message, _severity) = ("A correction needs a reason.", Severity.Warning);
            return;
        }
        if (await Run(() => Reading.CorrectAsync(TaskId, _reason, Actor.Current, CancellationToken.None)) is null)
            return;
        _reason = null;
        await LoadAsync();
        (_message, _severity) = ("Correction started: edit and sign the new version.", Severity.Info);
    }

    private async Task<T?> Run<T>(Func<Task<T>> action) where T : class
    {
        _signError = null;
        try
        {
            return await action();
        }
        catch (SignatureRejectedException e)
        {
            // Said where the reader is looking: at the password and the Sign button, not at the top of a long form.
            _signError = e.Message;
            return null;
        }
        catch (Exception e) when (e is ReviewStateException or ArgumentException)
        {
            (_message, _severity) = (e.Message, Severity.Error);
            return null;
        }
    }

    private static string? Value(IReadOnlyDictionary<string, string?> values, string key) => values.TryGetValue(key, out var v) ? v : null;
}
