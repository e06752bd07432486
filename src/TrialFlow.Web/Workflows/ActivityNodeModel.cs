using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using TrialFlow.Workflows.Activities;

namespace TrialFlow.Web.Workflows;

/// <summary>An activity on the canvas: one entry port, one port per outcome (declared outcomes and <c>error</c>).</summary>
public sealed class ActivityNodeModel : NodeModel
{
    public ActivityNodeModel(string activityId, ActivityDescriptor descriptor, Point position) : base(position)
    {
        ActivityId = activityId;
        Descriptor = descriptor;
        Title = activityId;
        if (!descriptor.IsTrigger)
            In = AddPort(new OutcomePortModel(this, ActivityOutcomes.In, PortAlignment.Left));
        foreach (var outcome in descriptor.Ports)
            Outcomes.Add((OutcomePortModel)AddPort(new OutcomePortModel(this, outcome, PortAlignment.Right)));
    }

    public string ActivityId { get; set; }

    public ActivityDescriptor Descriptor { get; }

    public PortModel? In { get; }

    public List<OutcomePortModel> Outcomes { get; } = [];

    /// <summary>Instance view: how the activity figures in one instance's path ("", "visited", "current", "failed").</summary>
    public string State { get; set; } = "";
}

/// <summary>A port named by the outcome it stands for (or <c>in</c>).</summary>
public sealed class OutcomePortModel(NodeModel parent, string outcome, PortAlignment alignment) : PortModel(parent, alignment)
{
    public string Outcome { get; } = outcome;

    public override bool CanAttachTo(ILinkable other) =>
        other is OutcomePortModel port && port.Parent != Parent && (port.Outcome == ActivityOutcomes.In) != (Outcome == ActivityOutcomes.In);
}
