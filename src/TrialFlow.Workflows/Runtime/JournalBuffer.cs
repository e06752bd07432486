using System.Collections.Concurrent;
using TrialFlow.Workflows.Persistence;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// Journal entries of steps that ran but whose instance is not saved yet. The persistence provider writes them in the
/// transaction that saves the instance: an entry exists exactly when the step's result was saved, and a step re-run
/// after a crash journals once.
/// </summary>
public sealed class JournalBuffer
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JournalEntry>> _pending = new(StringComparer.Ordinal);

    public void Add(JournalEntry entry) => _pending.GetOrAdd(entry.InstanceId, _ => new()).Enqueue(entry);

    public List<JournalEntry> Drain(string instanceId)
    {
        var drained = new List<JournalEntry>();
        if (_pending.TryRemove(instanceId, out var queue))
            while (queue.TryDequeue(out var entry))
                drained.Add(entry);
        return drained;
    }
}
