using System.Globalization;

namespace TrialFlow.Intake.Staging;

/// <summary>
/// Remembers, beside staging, how often the pipeline failed on a staged object and what it was working on when the host
/// stopped. That is what lets intake give up on a poison object (hold it in quarantine after N failures) instead of
/// retrying it forever — including an object that takes the whole process down, which no catch block ever sees: the
/// objects named in the in-flight file when the host starts again were being processed when it died.
/// </summary>
public sealed class IntakeAttempts
{
    private const string InFlightFile = "in-flight";
    private readonly string _directory;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _failed;

    public IntakeAttempts(string stagingDirectory)
    {
        _directory = Path.Combine(stagingDirectory, "attempts");
        Directory.CreateDirectory(_directory);
        _failed = Directory.EnumerateFiles(_directory, "*.failed").Select(f => Path.GetFileNameWithoutExtension(f)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>True when the pipeline failed on the object before: it is then processed on its own.</summary>
    public bool HasFailed(string name)
    {
        lock (_gate)
            return _failed.Contains(name);
    }

    /// <summary>How many attempts failed, and the last error.</summary>
    public (int Count, string? LastError) Get(string name)
    {
        var path = FailedPath(name);
        if (!File.Exists(path))
            return (0, null);
        var text = File.ReadAllText(path);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0
            ? (int.Parse(text, CultureInfo.InvariantCulture), null)
            : (int.Parse(text[..newline], CultureInfo.InvariantCulture), text[(newline + 1)..]);
    }

    /// <summary>Counts a failed attempt; returns the number of failures so far.</summary>
    public int RecordFailure(string name, string error)
    {
        var count = Get(name).Count + 1;
        Write(FailedPath(name), $"{count.ToString(CultureInfo.InvariantCulture)}\n{error}", flushToDisk: true);
        lock (_gate)
            _failed.Add(name);
        return count;
    }

    /// <summary>Forgets the failures of an object that is settled now.</summary>
    public void Forget(string name)
    {
        lock (_gate)
            if (!_failed.Remove(name))
                return;
        File.Delete(FailedPath(name));
    }

    /// <summary>
    /// Notes which objects are being processed, before the work starts. Not flushed to disk: this runs for every batch,
    /// and what it guards against is the process dying, which the page cache survives; after a power loss the objects
    /// are simply tried again without the crash counted.
    /// </summary>
    public void Begin(IReadOnlyCollection<string> names) => Write(Path.Combine(_directory, InFlightFile), string.Join('\n', names), flushToDisk: false);

    /// <summary>The work on the objects named by <see cref="Begin"/> ended (settled, failed or cancelled) without the host dying.</summary>
    public void End() => File.Delete(Path.Combine(_directory, InFlightFile));

    /// <summary>What was being processed when the host last stopped without ending the work: the suspects of a crash.</summary>
    public IReadOnlyList<string> Interrupted()
    {
        var path = Path.Combine(_directory, InFlightFile);
        return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToList() : [];
    }

    private string FailedPath(string name)
    {
        // Staging names are timestamps and hex (EncryptedBlobStore.NewName); anything else must not become a path.
        if (name.Length == 0 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
            throw new ArgumentException($"'{name}' is not a staging name", nameof(name));
        return Path.Combine(_directory, name + ".failed");
    }

    private static void Write(string path, string text, bool flushToDisk)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
