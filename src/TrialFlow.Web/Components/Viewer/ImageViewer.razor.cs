using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using TrialFlow.Web.Viewer;

namespace TrialFlow.Web.Components.Viewer;

/// <summary>
/// Hosts the browser-side viewer: studies side by side (the caller puts the earlier timepoint first), scrolling,
/// window/level presets and length measurement. Frames are fetched by the browser from the URLs in the manifest, so
/// what the viewer may show is decided by the endpoint that built the manifest and the endpoints serving the frames.
/// </summary>
public partial class ImageViewer : IAsyncDisposable
{
    private ElementReference _container;
    private IJSObjectReference? _module;
    private IJSObjectReference? _mounted;
    private DotNetObjectReference<ImageViewer>? _self;
    private IReadOnlyList<ViewerStudy>? _shown;

    [Parameter, EditorRequired]
    public IReadOnlyList<ViewerStudy> Studies { get; set; } = [];

    [Parameter]
    public EventCallback<ViewerMeasurement> OnMeasured { get; set; }

    [Parameter]
    public string Id { get; set; } = "image-viewer";

    [Inject]
    private IJSRuntime Js { get; set; } = default!;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (ReferenceEquals(_shown, Studies))
            return;
        _shown = Studies;
        _module ??= await Js.InvokeAsync<IJSObjectReference>("import", "./js/viewer.js");
        _self ??= DotNetObjectReference.Create(this);
        if (_mounted is not null)
            await _mounted.InvokeVoidAsync("dispose");
        _mounted = await _module.InvokeAsync<IJSObjectReference>("mount", _container, Studies, _self);
    }

    /// <summary>Called by the viewer when the user finishes a length measurement on an image with pixel spacing.</summary>
    [JSInvokable]
    public Task Measured(ViewerMeasurement measurement) => OnMeasured.InvokeAsync(measurement);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_mounted is not null)
                await _mounted.InvokeVoidAsync("dispose");
            if (_module is not null)
                await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone with the browser tab: nothing left to clean up there.
        }
        _self?.Dispose();
        GC.SuppressFinalize(this);
    }
}
