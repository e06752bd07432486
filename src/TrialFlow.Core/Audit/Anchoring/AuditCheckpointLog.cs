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

    public void Append(AuditCheckpoint checkpoint)
    {
        var line = Encoding.UTF8.GetBytes(checkpoint.ToJsonLine() + "\n");
        lock (_gate)
        {
            foreach (var path in Paths)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                // One write of a whole line in append mode: lines of two processes interleave, never mix.
                using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite });
                file.Write(line);
                file.Flush(flushToDisk: true);
            }
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
