using TrialFlow.Core.Events;
using TrialFlow.Queries.Events;
using TrialFlow.Workflows.Activities.Builtin;
using TrialFlow.Workflows.Runtime;

namespace TrialFlow.Workflows.Queries;

/// <summary>
/// Releases the <see cref="WaitForQueryResolution"/> waiting for a query that just ended. Queries a person raised have
/// no workflow waiting for them. A repeated delivery publishes again, which the step that already resumed ignores.
/// </summary>
public sealed class ResumeOnQueryEnded(StudyWorkflows workflows) : IModuleEventHandler<QueryEnded>
{
    public Task HandleAsync(QueryEnded moduleEvent, EventDelivery delivery, CancellationToken cancellationToken) =>
        moduleEvent.WorkflowInstanceId is null
            ? Task.CompletedTask
            : workflows.PublishEventAsync(WaitForQueryResolution.EventName, WaitForQueryResolution.KeyOf(moduleEvent.QueryId), moduleEvent.Status.ToString());
}
