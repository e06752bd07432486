using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;
using TrialFlow.Workflows.Activities.Builtin;
using TrialFlow.Workflows.Runtime;

namespace TrialFlow.Workflows.Queries;

/// <summary>Releases the <see cref="WaitForQueryResolution"/> waiting for a query that just ended.</summary>
internal sealed class QueryEndPublisher(StudyWorkflows workflows) : IQueryEndListener
{
    public Task QueryEndedAsync(Guid queryId, string workflowInstanceId, QueryStatus status, CancellationToken cancellationToken) =>
        workflows.PublishEventAsync(WaitForQueryResolution.EventName, WaitForQueryResolution.KeyOf(queryId), status.ToString());
}
