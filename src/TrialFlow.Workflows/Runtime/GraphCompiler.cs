using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Validation;
using WorkflowCore.Models;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// Turns a valid definition into a WorkflowCore definition: one step per activity (the trigger is step 0, where
/// WorkflowCore starts; the others follow in document order), one outcome per connection. Loops are edges like
/// any other. Step ids are positions, so a published version must never change: instances keep running on it.
/// A version published before loops had to wait still compiles, so its instances keep running: the runtime's step cap
/// (<see cref="WorkflowRuntimeOptions.MaxStepsPerMinute"/>) stops one that loops without pause.
/// </summary>
public sealed class GraphCompiler(ActivityCatalog catalog)
{
    public WorkflowDefinition Compile(WorkflowDocument document)
    {
        var errors = new WorkflowValidator(catalog).Validate(document).Where(e => e.Code != WorkflowValidator.LoopWithoutWait).ToList();
        if (errors.Count > 0)
            throw new WorkflowInvalidException(document.DefinitionId, errors);

        var ordered = document.Root.Activities.OrderBy(a => catalog.Get(a.Type).IsTrigger ? 0 : 1).ToList();
        var index = ordered.Select((a, i) => (a.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var definition = new WorkflowDefinition
        {
            Id = document.DefinitionId,
            Version = document.Version,
            Description = document.Name,
            DataType = typeof(StudyWorkflowData),
            // Activity failures never reach WorkflowCore (the adapter retries and ends in 'error'); anything that does is
            // an engine fault, and suspending keeps the instance visible instead of retrying forever.
            DefaultErrorBehavior = WorkflowErrorHandling.Suspend,
        };
        foreach (var node in ordered)
        {
            var step = new ActivityStep
            {
                Id = index[node.Id],
                Name = node.Id,
                ExternalId = node.Id,
                Node = node,
                Descriptor = catalog.Get(node.Type),
                DefinitionId = document.DefinitionId,
                DefinitionVersion = document.Version,
            };
            foreach (var c in document.Root.Connections.Where(c => c.Source.Activity == node.Id))
                step.Outcomes.Add(new PortOutcome { Label = c.Source.Port, NextStep = index[c.Target.Activity], ExternalNextStepId = c.Target.Activity });
            definition.Steps.Add(step);
        }
        return definition;
    }
}
