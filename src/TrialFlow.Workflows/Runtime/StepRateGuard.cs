using System.Collections.Concurrent;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// Counts the activity runs of each instance over the last minute on this node and refuses a run past
/// <see cref="WorkflowRuntimeOptions.MaxStepsPerMinute"/>. The validator refuses loops without a waiting activity; this
/// is the backstop for an instance that slips past it (a version published before the check existed, a waiting activity
/// that does not wait because its condition already holds): without it such an instance runs at full CPU, notifying
/// and auditing thousands of times a minute. Per node: with several nodes an instance is still bounded by their number.
/// </summary>
internal sealed class StepRateGuard(WorkflowRuntimeOptions options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _runs = new(StringComparer.Ordinal);
    private long _calls;

    /// <summary>Records a run of <paramref name="instanceId"/> now; false (recording nothing) when the instance is over the cap.</summary>
    public bool TryRun(string instanceId)
    {
        var now = time.GetUtcNow();
        if (Interlocked.Increment(ref _calls) % 1024 == 0)
            Sweep(now);
        var runs = _runs.GetOrAdd(instanceId, _ => new Queue<DateTimeOffset>());
        lock (runs)
        {
            while (runs.TryPeek(out var oldest) && now - oldest >= Window)
                runs.Dequeue();
            if (runs.Count >= options.MaxStepsPerMinute)
                return false;
            runs.Enqueue(now);
            return true;
        }
    }

    // Instances that finished leave their queue behind: drop those idle for a whole window.
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, runs) in _runs)
            lock (runs)
                if (!runs.TryPeek(out _) || now - runs.Last() >= Window)
                    _runs.TryRemove(id, out _);
    }
}
