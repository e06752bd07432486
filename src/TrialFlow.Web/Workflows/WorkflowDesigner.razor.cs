using Blazor.Diagrams;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Persistence;
using TrialFlow.Workflows.Publishing;
using TrialFlow.Workflows.Validation;

namespace TrialFlow.Web.Workflows;

/// <summary>
/// The study manager's designer: palette from the catalog, canvas (Z.Blazor.Diagrams), property panel, live validation,
/// undo, save draft, publish with a reason, versions, import/export. The canvas holds the graph; inputs live beside it.
/// </summary>
public partial class WorkflowDesigner : IDisposable
{
    private readonly BlazorDiagram _diagram = DiagramMapper.CreateDiagram(readOnly: false);
    private readonly Stack<string> _undo = new();
    private readonly Dictionary<string, ActivityNode> _inputs = new(StringComparer.Ordinal);
    private WorkflowDocument _document = new() { DefinitionId = "new-workflow", Name = "New workflow" };
    private IReadOnlyList<ValidationError> _errors = [];
    private IReadOnlyList<WorkflowVersionRecord> _versions = [];
    private List<(Guid Id, string Protocol)> _trials = [];
    private ActivityNode? _selected;
    private ActivityDescriptor? _dragging;
    private Guid? _trialId;
    private bool _isNew;
    private bool _loading;
    private string? _search;
    private string? _reason;
    private string? _json;
    private string? _message;
    private Severity _severity = Severity.Info;

    /// <summary>The definition edited, or <c>new</c>.</summary>
    [Parameter]
    public string DefinitionId { get; set; } = "";

    [Inject] private ActivityCatalog Catalog { get; set; } = default!;
    [Inject] private WorkflowValidator Validator { get; set; } = default!;
    [Inject] private WorkflowDefinitions Definitions { get; set; } = default!;
    [Inject] private IActorAccessor Actor { get; set; } = default!;
    [Inject] private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    private string Name { get => _document.Name; set { _document = _document with { Name = value }; Revalidate(); } }

    private string Id { get => _document.DefinitionId; set { _document = _document with { DefinitionId = value }; Revalidate(); } }

    private string DownloadHref => "data:application/json;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(_json ?? ""));

    protected override async Task OnInitializedAsync()
    {
        await using (var db = await Db.CreateDbContextAsync())
            _trials = (await db.Trials.AsNoTracking().OrderBy(t => t.ProtocolId).Select(t => new { t.Id, t.ProtocolId }).ToListAsync()).Select(t => (t.Id, t.ProtocolId)).ToList();
        _isNew = DefinitionId == "new";
        var record = _isNew ? null : await Definitions.FindAsync(DefinitionId);
        if (record?.TrialId is { } bound && _trials.All(t => t.Id != bound))
        {
            // Another trial's workflow: as if it did not exist.
            Navigation.NavigateTo("/workflows");
            return;
        }

        if (record is not null)
        {
            _trialId = record.TrialId;
            Load(WorkflowJson.Parse(record.DraftJson, DefinitionId));
            _versions = await Definitions.VersionsAsync(DefinitionId);
        }
        else
        {
            Load(new WorkflowDocument { DefinitionId = "new-workflow", Name = "New workflow", Root = new FlowchartNode { Activities = [new ActivityNode { Id = "completed", Type = "StudyCompleted", Metadata = new(new(new(40, 120))) }] } });
        }
        _diagram.SelectionChanged += OnSelectionChanged;
        _diagram.Links.Added += OnLinkAdded;
        _diagram.Links.Removed += _ => Changed();
        _diagram.Nodes.Removed += _ => Changed();
    }

    private void Load(WorkflowDocument document)
    {
        _loading = true;
        _document = document;
        _inputs.Clear();
        foreach (var a in document.Root.Activities)
            _inputs[a.Id] = a;
        DiagramMapper.Load(_diagram, document, Catalog);
        _selected = null;
        _loading = false;
        Revalidate();
    }

    private WorkflowDocument Current() => DiagramMapper.ToDocument(_diagram, _document, _inputs);

    private void Revalidate() => _errors = Validator.Validate(_document.Root.Activities.Count == 0 ? _document : Current());

    private void Changed()
    {
        if (_loading)
            return;
        Remember();
        Revalidate();
        InvokeAsync(StateHasChanged);
    }

    private void Remember() => _undo.Push(WorkflowJson.Write(_document = Current()));

    private void OnLinkAdded(BaseLinkModel link) => link.TargetAttached += _ => Changed();

    private void OnSelectionChanged(SelectableModel model)
    {
        _selected = model is ActivityNodeModel { Selected: true } node ? _inputs.GetValueOrDefault(node.ActivityId) : _selected;
        InvokeAsync(StateHasChanged);
    }

    private bool Matches(ActivityDescriptor d) =>
        string.IsNullOrWhiteSpace(_search) || d.Type.Contains(_search, StringComparison.OrdinalIgnoreCase) || d.Description.Contains(_search, StringComparison.OrdinalIgnoreCase);

    private Task DropAsync(DragEventArgs e)
    {
        if (_dragging is not { } d)
            return Task.CompletedTask;
        _dragging = null;
        return AddActivityAsync(d, _diagram.GetRelativeMousePoint(e.ClientX, e.ClientY));
    }

    private Task AddActivityAsync(ActivityDescriptor descriptor, Blazor.Diagrams.Core.Geometry.Point? at)
    {
        Remember();
        var baseId = string.Concat(descriptor.Type.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        var id = baseId;
        for (var n = 2; _inputs.ContainsKey(id); n++)
            id = $"{baseId}-{n}";
        _inputs[id] = new ActivityNode { Id = id, Type = descriptor.Type };
        var node = _diagram.Nodes.Add(new ActivityNodeModel(id, descriptor, at ?? new Blazor.Diagrams.Core.Geometry.Point(60 + 30 * _inputs.Count, 60 + 40 * _inputs.Count)));
        _diagram.SelectModel(node, unselectOthers: true);
        _selected = _inputs[id];
        _document = Current();
        Revalidate();
        return Task.CompletedTask;
    }

    private Task InputsChangedAsync(ActivityNode node)
    {
        Remember();
        _inputs[node.Id] = node;
        _selected = node;
        _document = Current();
        Revalidate();
        return Task.CompletedTask;
    }

    private Task RenameAsync(string newId)
    {
        if (_selected is not { } selected || string.IsNullOrWhiteSpace(newId) || _inputs.ContainsKey(newId))
            return Task.CompletedTask;
        Remember();
        _inputs.Remove(selected.Id);
        _selected = _inputs[newId] = selected with { Id = newId };
        foreach (var n in _diagram.Nodes.OfType<ActivityNodeModel>().Where(n => n.ActivityId == selected.Id))
        {
            n.ActivityId = newId;
            n.Title = newId;
            n.Refresh();
        }
        _document = Current();
        Revalidate();
        return Task.CompletedTask;
    }

    private Task RemoveSelectedAsync()
    {
        if (_selected is { } selected && _diagram.Nodes.OfType<ActivityNodeModel>().FirstOrDefault(n => n.ActivityId == selected.Id) is { } node)
        {
            Remember();
            _diagram.Nodes.Remove(node);
            _inputs.Remove(selected.Id);
            _selected = null;
            _document = Current();
            Revalidate();
        }
        return Task.CompletedTask;
    }

    private Task UndoAsync()
    {
        if (_undo.TryPop(out var json))
            Load(WorkflowJson.Parse(json, "undo"));
        return Task.CompletedTask;
    }

    private async Task SaveDraftAsync()
    {
        _document = Current();
        await Definitions.SaveDraftAsync(_document, _trialId, Actor.Current);
        (_message, _severity) = ($"Draft of '{_document.Name}' saved.", Severity.Success);
        // Binding takes effect with the save when a version is already published: show what it leaves out at once.
        if (_existingStudies is not null)
            await _existingStudies.RefreshAsync();
        if (_isNew)
            Navigation.NavigateTo($"/workflows/designer/{_document.DefinitionId}");
    }

    private async Task PublishAsync()
    {
        try
        {
            await SaveDraftAsync();
            var version = await Definitions.PublishAsync(_document.DefinitionId, _reason ?? "", Actor.Current);
            _versions = await Definitions.VersionsAsync(_document.DefinitionId);
            (_message, _severity, _reason) = ($"Published version {version} of '{_document.Name}'.", Severity.Success, null);
            if (_existingStudies is not null)
                await _existingStudies.RefreshAsync();
        }
        catch (WorkflowInvalidException e)
        {
            (_errors, _message, _severity) = (e.Errors, "Not published: the workflow is not valid.", Severity.Error);
        }
    }

    private Task OpenVersionAsync(string json)
    {
        Remember();
        Load(WorkflowJson.Parse(json, "version"));
        return Task.CompletedTask;
    }

    private void Export() => _json = WorkflowJson.Write(_document = Current());

    private Task ImportAsync()
    {
        try
        {
            Remember();
            var imported = WorkflowJson.Parse(_json ?? "", "imported JSON");
            Load(_isNew ? imported : imported with { DefinitionId = _document.DefinitionId });
            (_message, _severity) = ("Imported; save the draft to keep it.", Severity.Info);
        }
        catch (WorkflowFormatException e)
        {
            (_message, _severity) = (e.Message, Severity.Error);
        }
        return Task.CompletedTask;
    }

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private ExistingStudiesPanel? _existingStudies;

    public void Dispose() => _diagram.SelectionChanged -= OnSelectionChanged;
}
