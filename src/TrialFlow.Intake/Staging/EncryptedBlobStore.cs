using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TrialFlow.Intake.Staging;

/// <summary>
/// A folder of encrypted objects: intake's staging area and its quarantine. Identified data exists on disk only
/// in this form. Each object is AES-256-GCM encrypted in 1 MiB chunks (so large files stream), every chunk
/// authenticated with its index and a last-chunk flag, so truncation, reordering and tampering are detected.
/// Writes are durable before they return: the object is flushed to disk under a temporary name and then
/// renamed, so a crash leaves either the whole object or nothing.
/// </summary>
public sealed class EncryptedBlobStore
{
    private const int ChunkSize = 1 << 20;
    private const int TagSize = 16;
    private const int NonceSize = 12;
    private static ReadOnlySpan<byte> Magic => "TFENC001"u8;

    private readonly byte[] _key;

    public EncryptedBlobStore(string directory, byte[] key)
    {
        if (key.Length != 32)
            throw new ArgumentException("The encryption key must be 32 bytes (AES-256).", nameof(key));
        Directory.CreateDirectory(directory);
        DirectoryPath = directory;
        _key = key;
    }

    public string DirectoryPath { get; }

    /// <summary>Encrypts <paramref name="header"/> and the bytes of <paramref name="content"/> into a new object; returns its name.</summary>
    public async Task<string> WriteAsync(ReadOnlyMemory<byte> header, Stream content, CancellationToken cancellationToken)
    {
        // Names sort by arrival, so recovery after a crash processes objects in the order they were acknowledged.
        var name = $"{DateTime.UtcNow:yyyyMMddHHmmssfffffff}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(DirectoryPath, name + ".tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await EncryptAsync(header, content, file, cancellationToken);
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

    /// <summary>Decrypts an object: its header and a stream of its content, fully verified before it is returned.</summary>
    public async Task<(byte[] Header, MemoryStream Content)> ReadAsync(string name, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await DecryptAsync(file, name, cancellationToken);
    }

    /// <summary>Names of the stored objects, oldest first.</summary>
    public IReadOnlyList<string> List() =>
        Directory.EnumerateFiles(DirectoryPath, "*.tfe").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList()!;

    public bool Exists(string name) => File.Exists(PathOf(name));

    public void Delete(string name) => File.Delete(PathOf(name));

    /// <summary>Moves an object to another store with the same key (staging → quarantine) without decrypting it.</summary>
    public void MoveTo(string name, EncryptedBlobStore other) => File.Move(PathOf(name), other.PathOf(name), overwrite: false);

    private string PathOf(string name)
    {
        if (name.Length == 0 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
            throw new ArgumentException($"'{name}' is not an object name of this store.", nameof(name));
        return Path.Combine(DirectoryPath, name + ".tfe");
    }

    private async Task EncryptAsync(ReadOnlyMemory<byte> header, Stream content, Stream output, CancellationToken cancellationToken)
    {
        var baseNonce = RandomNumberGenerator.GetBytes(NonceSize);
        await output.WriteAsync(Magic.ToArray(), cancellationToken);
        await output.WriteAsync(baseNonce, cancellationToken);

        using var aes = new AesGcm(_key, TagSize);
        long index = 0;
        await WriteChunkAsync(aes, baseNonce, index++, header.Span.ToArray(), header.Length, isLast: false, output, cancellationToken);

        // Read one chunk ahead so the last chunk is known when it is written.
        var current = new byte[ChunkSize];
        var next = new byte[ChunkSize];
        var currentLength = await content.ReadAtLeastAsync(current, ChunkSize, throwOnEndOfStream: false, cancellationToken);
        while (true)
        {
            var nextLength = currentLength == ChunkSize ? await content.ReadAtLeastAsync(next, ChunkSize, throwOnEndOfStream: false, cancellationToken) : 0;
            var isLast = nextLength == 0;
            await WriteChunkAsync(aes, baseNonce, index++, current, currentLength, isLast, output, cancellationToken);
            if (isLast)
                break;
            (current, next) = (next, current);
            currentLength = nextLength;
        }
    }

    private static async Task WriteChunkAsync(AesGcm aes, byte[] baseNonce, long index, byte[] plain, int length, bool isLast, Stream output, CancellationToken cancellationToken)
    {
        var frame = new byte[4 + length + TagSize];
        BinaryPrimitives.WriteInt32LittleEndian(frame, length);
        aes.Encrypt(Nonce(baseNonce, index), plain.AsSpan(0, length), frame.AsSpan(4, length), frame.AsSpan(4 + length, TagSize), Associated(index, isLast));
        await output.WriteAsync(frame, cancellationToken);
    }

    private async Task<(byte[] Header, MemoryStream Content)> DecryptAsync(Stream input, string name, CancellationToken cancellationToken)
    {
        var preamble = new byte[Magic.Length + NonceSize];
        if (await input.ReadAtLeastAsync(preamble, preamble.Length, throwOnEndOfStream: false, cancellationToken) != preamble.Length || !preamble.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new EncryptedBlobException(name, "not an encrypted TrialFlow object");
        var baseNonce = preamble[Magic.Length..];

        using var aes = new AesGcm(_key, TagSize);
        var content = new MemoryStream();
        byte[]? header = null;
        var lengthBytes = new byte[4];
        for (long index = 0; ; index++)
        {
            if (await input.ReadAtLeastAsync(lengthBytes, 4, throwOnEndOfStream: false, cancellationToken) != 4)
                throw new EncryptedBlobException(name, $"truncated before chunk {index}: the last chunk is missing");
            var length = BinaryPrimitives.ReadInt32LittleEndian(lengthBytes);
            if (length is < 0 or > ChunkSize)
                throw new EncryptedBlobException(name, $"chunk {index} claims {length} bytes");
            var frame = new byte[length + TagSize];
            if (await input.ReadAtLeastAsync(frame, frame.Length, throwOnEndOfStream: false, cancellationToken) != frame.Length)
                throw new EncryptedBlobException(name, $"chunk {index} is truncated");
            var plain = new byte[length];
            var isLast = input.Position == input.Length;
            try
            {
                aes.Decrypt(Nonce(baseNonce, index), frame.AsSpan(0, length), frame.AsSpan(length, TagSize), plain, Associated(index, isLast && index > 0));
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new EncryptedBlobException(name, $"chunk {index} fails authentication: wrong key, tampering, or truncation");
            }

            if (index == 0)
            {
                header = plain;
                continue;
            }

            await content.WriteAsync(plain, cancellationToken);
            if (isLast)
                break;
        }

        content.Position = 0;
        return (header!, content);
    }

    private static byte[] Nonce(byte[] baseNonce, long index)
    {
        var nonce = (byte[])baseNonce.Clone();
        var counter = BinaryPrimitives.ReadInt64LittleEndian(nonce.AsSpan(4)) ^ index;
        BinaryPrimitives.WriteInt64LittleEndian(nonce.AsSpan(4), counter);
        return nonce;
    }

    private static byte[] Associated(long index, bool isLast)
    {
        var data = new byte[9];
        BinaryPrimitives.WriteInt64LittleEndian(data, index);
        data[8] = isLast ? (byte)1 : (byte)0;
        return data;
    }
}

/// <summary>An encrypted object could not be read back intact. It stays where it is; nothing is deleted.</summary>
public sealed class EncryptedBlobException(string name, string problem) : Exception($"encrypted object {name}: {problem}")
{
    public string Name { get; } = name;
}
