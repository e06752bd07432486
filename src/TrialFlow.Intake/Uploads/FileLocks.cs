namespace TrialFlow.Intake.Uploads;

/// <summary>
/// One request at a time per uploaded file: parallel chunks of the same file (a client retrying while its first attempt
/// is still in flight) queue instead of all reading "received so far" and all appending. An entry lives only while
/// someone holds or awaits it, so the table does not grow with every file ever uploaded. In-process only: one host owns
/// a data folder.
/// </summary>
internal sealed class FileLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
                _entries[key] = entry = new Entry();
            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Leave(key, entry, held: false);
            throw;
        }

        return new Holder(this, key, entry);
    }

    private void Leave(string key, Entry entry, bool held)
    {
        lock (_entries)
        {
            if (held)
                entry.Gate.Release();
            if (--entry.Users > 0)
                return;
            _entries.Remove(key);
            entry.Gate.Dispose();
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Holder(FileLocks locks, string key, Entry entry) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                locks.Leave(key, entry, held: true);
        }
    }
}
