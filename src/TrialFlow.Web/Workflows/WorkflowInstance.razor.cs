using Blazor.Diagrams;
using Microsoft.AspNetCore.Components;
using TrialFlow.Core.Access;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Persistence;
using TrialFlow.Workflows.Publishing;
using TrialFlow.Workflows.Runtime;

namespace TrialFlow.Web.Workflows;

/// <summary>One instance: its version's graph with the path taken and where it is now, the journal, incidents, signals.</summary>
public partial class WorkflowInstance
{
    private readonly BlazorDiagram _diagram = DiagramMapper.CreateDiagram(readOnly: true);
    private InstanceView? _view;
    private WorkflowDocument? _document;
    private string? _message;

    /// <summary>The WorkflowCore instance id.</summary>
    [Parameter]
    public string InstanceId { get; set; } = "";

    [Inject] private StudyWorkflows Workflows { get; set; } = default!;
    [Inject] private WorkflowDefinitions Definitions { get; set; } = default!;
    [Inject] private ActivityCatalog Catalog { get; set; } = default!;
    [Inject] private IActorAccessor Actor { get; set; } = default!;

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _view = await Workflows.FindAsync(InstanceId);
        if (_view is null)
            return;
        var version = (await Definitions.VersionsAsync(_view.DefinitionId)).FirstOrDefault(v => v.Version == _view.Version);
        if (version is null)
            return;
        _document = WorkflowJson.Parse(version.Json, $"{_view.DefinitionId} v{_view.Version}");
        DiagramMapper.Load(_diagram, _document, Catalog);
        var visited = _view.Journal.Where(j => j.Kind == JournalEntryKind.Completed).Select(j => j.ActivityId).ToHashSet();
        var failed = _view.Incidents.Select(i => i.ActivityId).ToHashSet();
        foreach (var node in _diagram.Nodes.OfType<ActivityNodeModel>())
        {
            node.State = failed.Contains(node.ActivityId) ? "failed" : _view.CurrentActivities.Contains(node.ActivityId) ? "current" : visited.Contains(node.ActivityId) ? "visited" : "";
            node.Locked = true;
        }
    }

    private bool IsSignalWait(string activityId) =>
        _document?.Root.Activities.FirstOrDefault(a => a.Id == activityId)?.Type == nameof(TrialFlow.Workflows.Activities.Builtin.WaitForSignal);

    private async Task SignalAsync(string activityId)
    {
        _message = await Workflows.SignalAsync(InstanceId, activityId, Actor.Current)
            ? $"Signal sent to {activityId}; the instance continues within a moment."
            : $"{activityId} is no longer waiting.";
        await LoadAsync();
    }
}
