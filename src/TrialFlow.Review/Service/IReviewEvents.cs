namespace TrialFlow.Review.Service;

/// <summary>
/// Tells whoever waits (the study's workflow) that a read was signed or an adjudication decided. The workflow runtime
/// implements it; without a workflow it does nothing.
/// </summary>
public interface IReviewEvents
{
    Task ReadSignedAsync(Guid readTaskId, CancellationToken cancellationToken);

    Task AdjudicationDecidedAsync(Guid adjudicationId, CancellationToken cancellationToken);
}

public sealed class NoReviewEvents : IReviewEvents
{
    public Task ReadSignedAsync(Guid readTaskId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AdjudicationDecidedAsync(Guid adjudicationId, CancellationToken cancellationToken) => Task.CompletedTask;
}
