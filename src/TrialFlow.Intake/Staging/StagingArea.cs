namespace TrialFlow.Intake.Staging;

/// <summary>
/// Where intake keeps identified objects between acknowledgement and de-identification, encrypted. Objects of a
/// usual size go to the <see cref="StagingLog"/> (group-committed appends); very large ones (multi-frame, enhanced
/// objects, videos) stream into a file of their own, because the log encrypts a record in memory first.
/// </summary>
public sealed class StagingArea : IDisposable
{
    private const long LogLimit = 16L << 20;

    private readonly StagingLog _log;
    private readonly EncryptedBlobStore _large;

    public StagingArea(string directory, byte[] key)
    {
        _log = new StagingLog(directory, key);
        _large = new EncryptedBlobStore(directory, key);
    }

    public string DirectoryPath => _log.DirectoryPath;

    /// <summary>Stages an object durably (encrypted); returns its name.</summary>
    public Task<string> WriteAsync(ReadOnlyMemory<byte> header, Stream content, CancellationToken cancellationToken) =>
        content.CanSeek && content.Length - content.Position <= LogLimit
            ? _log.WriteAsync(EncryptedBlobStore.NewName(), header, content, cancellationToken)
            : _large.WriteAsync(header, content, cancellationToken);

    public Task<(byte[] Header, MemoryStream Content)> ReadAsync(string name, CancellationToken cancellationToken) =>
        _log.Exists(name) ? _log.ReadAsync(name, cancellationToken) : _large.ReadAsync(name, cancellationToken);

    /// <summary>Staged objects, oldest first.</summary>
    public IReadOnlyList<string> List() => [.. _log.List().Concat(_large.List()).Order(StringComparer.Ordinal)];

    /// <summary>How many objects wait in staging and when the oldest arrived (names begin with their UTC arrival time).</summary>
    public StagingBacklog Backlog()
    {
        var names = List();
        return new StagingBacklog(names.Count, names is [var oldest, ..] && DateTime.TryParseExact(oldest.AsSpan(0, Math.Min(21, oldest.Length)),
            "yyyyMMddHHmmssfffffff", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null);
    }

    public bool Exists(string name) => _log.Exists(name) || _large.Exists(name);

    /// <summary>Removes a settled object.</summary>
    public void Delete(string name)
    {
        if (_log.Exists(name))
            _log.Delete(name);
        else
            _large.Delete(name);
    }

    /// <summary>Moves an object to quarantine without decrypting it; idempotent after a crash.</summary>
    public void MoveTo(string name, EncryptedBlobStore quarantine)
    {
        if (_log.Exists(name))
        {
            quarantine.Import(name, _log.ReadPayload(name));
            _log.Delete(name);
        }
        else
        {
            _large.MoveTo(name, quarantine);
        }
    }

    public void Dispose() => _log.Dispose();
}

/// <summary>What waits in staging: acknowledged objects not yet archived or held.</summary>
public sealed record StagingBacklog(int Count, DateTime? OldestArrival)
{
    /// <summary>True when the oldest waiting object arrived more than <paramref name="limit"/> before <paramref name="now"/>.</summary>
    public bool IsStuck(DateTime now, TimeSpan limit) => OldestArrival is { } oldest && now - oldest > limit;
}
