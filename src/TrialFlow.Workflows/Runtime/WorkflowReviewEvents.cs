using TrialFlow.Review.Service;
using TrialFlow.Workflows.Activities.Builtin;

namespace TrialFlow.Workflows.Runtime;

/// <summary>Releases the review waits: a signed read wakes WaitForReads, a decision wakes Adjudicate (keys are the record ids).</summary>
internal sealed class WorkflowReviewEvents(StudyWorkflows workflows) : IReviewEvents
{
    public Task ReadSignedAsync(Guid readTaskId, CancellationToken cancellationToken) =>
        workflows.PublishEventAsync(WaitForReads.EventName, readTaskId.ToString());

    public Task AdjudicationDecidedAsync(Guid adjudicationId, CancellationToken cancellationToken) =>
        workflows.PublishEventAsync(Adjudicate.EventName, adjudicationId.ToString());
}
