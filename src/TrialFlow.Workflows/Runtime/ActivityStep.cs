using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Definitions;

namespace TrialFlow.Workflows.Runtime;

/// <summary>A compiled flowchart node: WorkflowCore runs it with the one adapter body, <see cref="ActivityStepBody"/>.</summary>
internal sealed class ActivityStep : WorkflowStep<ActivityStepBody>
{
    public required ActivityNode Node { get; init; }

    public required ActivityDescriptor Descriptor { get; init; }

    public required string DefinitionId { get; init; }

    public required int DefinitionVersion { get; init; }

    public override IStepBody ConstructBody(IServiceProvider serviceProvider) => ActivatorUtilities.CreateInstance<ActivityStepBody>(serviceProvider);
}

/// <summary>An outgoing connection: taken when the step ended with the outcome named by <see cref="Label"/> (the port).</summary>
internal sealed class PortOutcome : IStepOutcome
{
    public string ExternalNextStepId { get; set; } = "";

    public string Label { get; set; } = "";

    public int NextStep { get; set; }

    public bool Matches(object data) => false;

    public bool Matches(ExecutionResult executionResult, object data) =>
        executionResult.OutcomeValue is string port && string.Equals(port, Label, StringComparison.Ordinal);
}
