using TrialFlow.Core.Events;
using TrialFlow.Review.Events;
using TrialFlow.Workflows.Activities.Builtin;

namespace TrialFlow.Workflows.Runtime;

/// <summary>A signed read releases the <see cref="WaitForReads"/> waiting for its task (keyed by the task id).</summary>
public sealed class ResumeOnReadSigned(StudyWorkflows workflows) : IModuleEventHandler<ReadSigned>
{
    public Task HandleAsync(ReadSigned moduleEvent, EventDelivery delivery, CancellationToken cancellationToken) =>
        workflows.PublishEventAsync(WaitForReads.EventName, moduleEvent.ReadTaskId.ToString());
}

/// <summary>A decision releases the <see cref="Adjudicate"/> step waiting for it (keyed by the adjudication id).</summary>
public sealed class ResumeOnAdjudicationDecided(StudyWorkflows workflows) : IModuleEventHandler<AdjudicationDecided>
{
    public Task HandleAsync(AdjudicationDecided moduleEvent, EventDelivery delivery, CancellationToken cancellationToken) =>
        workflows.PublishEventAsync(Adjudicate.EventName, moduleEvent.AdjudicationId.ToString());
}
