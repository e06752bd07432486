namespace TrialFlow.Core.Events;

/// <summary>
/// Wakes this process's dispatcher when a save that wrote events commits, so delivery does not wait for the sweep.
/// One per database (held by <c>DatabaseOptions</c>): a context made outside dependency injection still wakes it.
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _pulse = NewPulse();

    /// <summary>
    /// Completes at the next pulse. Read it before looking at the outbox, then wait on it: a commit in between still
    /// wakes the waiter.
    /// </summary>
    public Task Next => Volatile.Read(ref _pulse).Task;

    /// <summary>Something was committed to the outbox.</summary>
    public void Pulse() => Interlocked.Exchange(ref _pulse, NewPulse()).TrySetResult();

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
