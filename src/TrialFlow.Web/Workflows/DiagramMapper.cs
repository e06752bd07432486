using Blazor.Diagrams;
using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Definitions;
using Blazor.Diagrams.Options;
using Endpoint = TrialFlow.Workflows.Definitions.Endpoint;

namespace TrialFlow.Web.Workflows;

/// <summary>Between a definition and the canvas: nodes at their stored positions, one link per connection, and back.</summary>
public static class DiagramMapper
{
    public static BlazorDiagram CreateDiagram(bool readOnly)
    {
        var diagram = new BlazorDiagram(new BlazorDiagramOptions
        {
            AllowMultiSelection = false,
            Links = { EnableSnapping = true, SnappingRadius = 30 },
            Zoom = { Enabled = true },
        });
        if (readOnly)
            diagram.Options.Links.Factory = (_, _, _) => null!;
        diagram.RegisterComponent<ActivityNodeModel, ActivityNodeWidget>();
        return diagram;
    }

    public static void Load(BlazorDiagram diagram, WorkflowDocument document, ActivityCatalog catalog)
    {
        diagram.Links.Clear();
        diagram.Nodes.Clear();
        var nodes = new Dictionary<string, ActivityNodeModel>(StringComparer.Ordinal);
        var column = 0;
        foreach (var activity in document.Root.Activities)
        {
            if (catalog.Find(activity.Type) is not { } descriptor)
                continue;
            var position = activity.Metadata?.Designer?.Position is { } p ? new Point(p.X, p.Y) : new Point(40 + 240 * column, 80);
            column++;
            nodes[activity.Id] = diagram.Nodes.Add(new ActivityNodeModel(activity.Id, descriptor, position));
        }
        foreach (var c in document.Root.Connections)
        {
            if (!nodes.TryGetValue(c.Source.Activity, out var source) || !nodes.TryGetValue(c.Target.Activity, out var target) || target.In is null)
                continue;
            if (source.Outcomes.FirstOrDefault(o => o.Outcome == c.Source.Port) is { } port)
                diagram.Links.Add(new LinkModel(port, target.In) { TargetMarker = LinkMarker.Arrow });
        }
    }

    /// <summary>The document with the canvas's activities (inputs kept from <paramref name="inputs"/>), positions and connections.</summary>
    public static WorkflowDocument ToDocument(BlazorDiagram diagram, WorkflowDocument document, IReadOnlyDictionary<string, ActivityNode> inputs)
    {
        var activities = diagram.Nodes.OfType<ActivityNodeModel>().Select(n =>
            (inputs.GetValueOrDefault(n.ActivityId) ?? new ActivityNode { Id = n.ActivityId, Type = n.Descriptor.Type }) with
            {
                Id = n.ActivityId,
                Metadata = new ActivityMetadata(new DesignerMetadata(new Position(Math.Round(n.Position.X), Math.Round(n.Position.Y)))),
            }).ToList();
        var connections = diagram.Links.OfType<LinkModel>()
            .Select(l => (Source: (l.Source as SinglePortAnchor)?.Port as OutcomePortModel, Target: (l.Target as SinglePortAnchor)?.Port as OutcomePortModel))
            .Where(l => l.Source is not null && l.Target is not null)
            .Select(l => l.Source!.Outcome == ActivityOutcomes.In ? (l.Target!, l.Source!) : (l.Source!, l.Target!))
            .Select(l => new Connection(new Endpoint(((ActivityNodeModel)l.Item1.Parent).ActivityId, l.Item1.Outcome), new Endpoint(((ActivityNodeModel)l.Item2.Parent).ActivityId, ActivityOutcomes.In)))
            .ToList();
        return document with { Root = document.Root with { Activities = activities, Connections = connections } };
    }
}
