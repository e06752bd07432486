namespace TrialFlow.Intake.Staging;

/// <summary>
/// A folder of encrypted objects, one file each (<see cref="ObjectCipher"/> format): intake's quarantine, upload
/// chunks, and staged objects too large for the staging log. Identified data exists on disk only in this form.
/// Writes are durable before they return: the object is flushed to disk under a temporary name and then
/// renamed, so a crash leaves either the whole object or nothing.
/// </summary>
public sealed class EncryptedBlobStore
{
    private readonly ObjectCipher _cipher;

    public EncryptedBlobStore(string directory, byte[] key)
    {
        if (key.Length != 32)
            throw new ArgumentException("The encryption key must be 32 bytes (AES-256).", nameof(key));
        Directory.CreateDirectory(directory);
        DirectoryPath = directory;
        _cipher = new ObjectCipher(key);
    }

    public string DirectoryPath { get; }

    /// <summary>Encrypts <paramref name="header"/> and the bytes of <paramref name="content"/> into a new object; returns its name.</summary>
    public async Task<string> WriteAsync(ReadOnlyMemory<byte> header, Stream content, CancellationToken cancellationToken)
    {
        var name = NewName();
        var temporary = Path.Combine(DirectoryPath, name + ".tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await _cipher.EncryptAsync(header, content, file, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, PathOf(name));
            return name;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// A new object name. Names sort by arrival, so recovery after a crash processes objects in the order they were
    /// acknowledged.
    /// </summary>
    internal static string NewName() => $"{DateTime.UtcNow:yyyyMMddHHmmssfffffff}-{Guid.NewGuid():N}";

    /// <summary>Decrypts an object: its header and a stream of its content, fully verified before it is returned.</summary>
    public async Task<(byte[] Header, MemoryStream Content)> ReadAsync(string name, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await _cipher.DecryptAsync(file, name, cancellationToken);
    }

    /// <summary>Names of the stored objects, oldest first.</summary>
    public IReadOnlyList<string> List() =>
        Directory.EnumerateFiles(DirectoryPath, "*.tfe").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList()!;

    public bool Exists(string name) => File.Exists(PathOf(name));

    public void Delete(string name) => File.Delete(PathOf(name));

    /// <summary>Moves an object to another store with the same key (staging → quarantine) without decrypting it.</summary>
    public void MoveTo(string name, EncryptedBlobStore other)
    {
        if (other.Exists(name))
            File.Delete(PathOf(name)); // moved before a crash interrupted the clean-up
        else
            File.Move(PathOf(name), other.PathOf(name), overwrite: false);
    }

    /// <summary>Stores an object already encrypted with this store's key (from the staging log), durably; idempotent.</summary>
    public void Import(string name, ReadOnlySpan<byte> encrypted)
    {
        var path = PathOf(name);
        if (File.Exists(path))
            return;
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(encrypted);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path);
    }

    internal string PathOf(string name)
    {
        if (name.Length == 0 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
            throw new ArgumentException($"'{name}' is not an object name of this store.", nameof(name));
        return Path.Combine(DirectoryPath, name + ".tfe");
    }
}

/// <summary>An encrypted object could not be read back intact. It stays where it is; nothing is deleted.</summary>
public sealed class EncryptedBlobException(string name, string problem) : Exception($"encrypted object {name}: {problem}")
{
    public string Name { get; } = name;
}
