using System.Text;

namespace TrialFlow.Core.Audit.Anchoring;

/// <summary>
/// The append-only checkpoint files: <c>audit-checkpoints.log</c> in the data folder and, when configured, the same
/// file in an external directory. One JSON line per checkpoint, flushed to disk before the write returns.
/// </summary>
public sealed class AuditCheckpointLog
{
    public const string FileName = "audit-checkpoints.log";

    private readonly object _gate = new();

    public AuditCheckpointLog(string dataDirectory, string? externalDirectory)
    {
        Paths = externalDirectory is null
            ? [Path.Combine(dataDirectory, FileName)]
            : [Path.Combine(dataDirectory, FileName), Path.Combine(externalDirectory, FileName)];
    }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>
    /// Makes the checkpoint and appends it under the log's lock, so its time is read there: a checkpoint stamped at or
    /// before a moment is in the file once <see cref="WaitForAppendsInFlight"/> returned after that moment.
    /// </summary>
    public AuditCheckpoint Append(Func<AuditCheckpoint> make)
    {
        lock (_gate)
        {
            var checkpoint = make();
            var line = Encoding.UTF8.GetBytes(checkpoint.ToJsonLine() + "\n");
            foreach (var path in Paths)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                // One write of a whole line in append mode: lines of two processes interleave, never mix.
                using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite });
                file.Write(line);
                file.Flush(flushToDisk: true);
            }
            return checkpoint;
        }
    }

    /// <summary>Returns once the append in progress in this process, if any, is on disk.</summary>
    public void WaitForAppendsInFlight()
    {
        lock (_gate)
        {
        }
    }

    /// <summary>Every line of every log file, with where it came from; unreadable lines come back with a null checkpoint.</summary>
    public IReadOnlyList<(string Source, AuditCheckpoint? Checkpoint)> ReadAll()
    {
        var lines = new List<(string, AuditCheckpoint?)>();
        foreach (var path in Paths.Where(File.Exists))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var number = 0;
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (line.Length > 0)
                    lines.Add(($"{path}:{number}", AuditCheckpoint.TryParse(line)));
            }
        }

        return lines;
    }
}
