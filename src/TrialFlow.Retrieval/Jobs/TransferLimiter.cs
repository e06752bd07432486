namespace TrialFlow.Retrieval.Jobs;

/// <summary>
/// Keeps a job's transfer at or under its bandwidth limit, across every study it retrieves at once: each object is
/// admitted at the moment the bytes before it have "used up" their share of the limit. The wait happens before the object
/// is staged, so a C-MOVE or C-GET sender waits for its C-STORE response and WADO-RS for TCP to drain: the PACS is slowed
/// down, not flooded and then buffered.
/// </summary>
public sealed class TransferLimiter(long? bytesPerSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _nextFree = DateTimeOffset.MinValue;

    /// <summary>How long the caller must wait before taking in <paramref name="bytes"/> more; reserves its share of the limit.</summary>
    public TimeSpan Reserve(long bytes)
    {
        if (bytesPerSecond is not { } limit)
            return TimeSpan.Zero;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var start = _nextFree > now ? _nextFree : now;
            _nextFree = start + TimeSpan.FromSeconds(bytes / (double)limit);
            return start - now;
        }
    }

    public Task WaitAsync(long bytes, CancellationToken cancellationToken) =>
        Reserve(bytes) is { Ticks: > 0 } wait ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
}
