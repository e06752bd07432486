using System.Security.Cryptography;

namespace TrialFlow.Intake.Archive;

/// <summary>
/// The archive of de-identified objects, addressed by the SHA-256 of their bytes
/// (<c>archive/ab/cd/abcd….dcm</c>). An object, once written, never changes; writing the same bytes twice
/// stores them once.
/// </summary>
public sealed class ContentAddressedArchive(string directory)
{
    public string DirectoryPath { get; } = directory;

    /// <summary>Stores <paramref name="bytes"/> durably; returns the lower-case hex SHA-256 that addresses them.</summary>
    public async Task<string> StoreAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        using var batch = BeginBatch();
        var hash = await batch.AddAsync(bytes, cancellationToken);
        batch.Commit();
        return hash;
    }

    /// <summary>Starts writing several objects that become durable together (one flush phase for a pipeline batch).</summary>
    public ArchiveBatch BeginBatch() => new(this);

    public bool Contains(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>Opens an archived object for reading.</summary>
    public Stream OpenRead(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"'{sha256}' is not a lower-case SHA-256.", nameof(sha256));
        return Path.Combine(DirectoryPath, sha256[..2], sha256[2..4], sha256 + ".dcm");
    }
}

/// <summary>
/// Objects written under temporary names, flushed to disk together, renamed into place, and the names flushed too. An
/// archived name therefore always holds its complete bytes, even after a power cut (a retry trusts an existing name).
/// A batch that is not committed leaves nothing behind.
/// </summary>
public sealed class ArchiveBatch(ContentAddressedArchive archive) : IDisposable
{
    private readonly List<(string Temporary, string Path)> _pending = [];

    public async Task<string> AddAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
        var path = archive.PathOf(hash);
        if (File.Exists(path) || _pending.Any(p => p.Path == path))
            return hash;

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        _pending.Add((temporary, path));
        await using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await file.WriteAsync(bytes, cancellationToken);
        return hash;
    }

    /// <summary>Makes every added object durable and visible under its hash.</summary>
    public void Commit()
    {
        if (_pending.Count == 0)
            return;
        FileSystemFlush.Flush(archive.DirectoryPath, [.. _pending.Select(p => p.Temporary)]);
        foreach (var (temporary, path) in _pending)
        {
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another writer stored the same bytes first: content addressing makes that the same object.
                File.Delete(temporary);
            }
        }

        FileSystemFlush.Flush(archive.DirectoryPath, [.. _pending.Select(p => p.Path)]);
        _pending.Clear();
    }

    public void Dispose()
    {
        foreach (var (temporary, _) in _pending)
            File.Delete(temporary);
        _pending.Clear();
    }
}
