using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TrialFlow.Intake.Staging;

/// <summary>
/// The at-rest format of identified objects: AES-256-GCM in 1 MiB chunks (so large files stream), every chunk
/// authenticated with its index and a last-chunk flag, so truncation, reordering and tampering are detected.
/// Layout: "TFENC001", a 12-byte base nonce, then chunks (4-byte length, ciphertext, 16-byte tag); chunk 0 is the
/// header the channel wrote (what it knew about the object), the rest are the object's bytes.
/// </summary>
internal sealed class ObjectCipher(byte[] key)
{
    private const int ChunkSize = 1 << 20;
    private const int TagSize = 16;
    private const int NonceSize = 12;
    private static ReadOnlySpan<byte> Magic => "TFENC001"u8;

    /// <summary>Encrypted size of an object whose content has <paramref name="contentLength"/> bytes.</summary>
    public static long EncryptedLength(int headerLength, long contentLength)
    {
        var chunks = Math.Max(1, (contentLength + ChunkSize - 1) / ChunkSize);
        return Magic.Length + NonceSize + 4 + headerLength + TagSize + chunks * (4 + TagSize) + contentLength;
    }

    public async Task EncryptAsync(ReadOnlyMemory<byte> header, Stream content, Stream output, CancellationToken cancellationToken)
    {
        var baseNonce = RandomNumberGenerator.GetBytes(NonceSize);
        await output.WriteAsync(Magic.ToArray(), cancellationToken);
        await output.WriteAsync(baseNonce, cancellationToken);

        using var aes = new AesGcm(key, TagSize);
        long index = 0;
        await WriteChunkAsync(aes, baseNonce, index++, header.Span.ToArray(), header.Length, isLast: false, output, cancellationToken);

        // Read one chunk ahead so the last chunk is known when it is written. Buffers come from the pool: most objects
        // are tens of kilobytes, and two fresh 1 MiB arrays per object cost more than encrypting them.
        var current = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var next = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var currentLength = await content.ReadAtLeastAsync(current.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken);
            while (true)
            {
                var nextLength = currentLength == ChunkSize ? await content.ReadAtLeastAsync(next.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken) : 0;
                var isLast = nextLength == 0;
                await WriteChunkAsync(aes, baseNonce, index++, current, currentLength, isLast, output, cancellationToken);
                if (isLast)
                    break;
                (current, next) = (next, current);
                currentLength = nextLength;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    private static async Task WriteChunkAsync(AesGcm aes, byte[] baseNonce, long index, byte[] plain, int length, bool isLast, Stream output, CancellationToken cancellationToken)
    {
        var frame = new byte[4 + length + TagSize];
        BinaryPrimitives.WriteInt32LittleEndian(frame, length);
        aes.Encrypt(Nonce(baseNonce, index), plain.AsSpan(0, length), frame.AsSpan(4, length), frame.AsSpan(4 + length, TagSize), Associated(index, isLast));
        await output.WriteAsync(frame, cancellationToken);
    }

    /// <summary>Whether <paramref name="encrypted"/> is a complete object that authenticates under this key.</summary>
    public bool Verifies(ReadOnlySpan<byte> encrypted)
    {
        try
        {
            // Decrypting from memory completes synchronously.
            DecryptAsync(new MemoryStream(encrypted.ToArray(), writable: false), "(verification)", CancellationToken.None).GetAwaiter().GetResult();
            return true;
        }
        catch (EncryptedBlobException)
        {
            return false;
        }
    }

    /// <summary>Decrypts an object read from <paramref name="input"/> (which must know its length); <paramref name="name"/> is for errors.</summary>
    public async Task<(byte[] Header, MemoryStream Content)> DecryptAsync(Stream input, string name, CancellationToken cancellationToken)
    {
        var preamble = new byte[Magic.Length + NonceSize];
        if (await input.ReadAtLeastAsync(preamble, preamble.Length, throwOnEndOfStream: false, cancellationToken) != preamble.Length || !preamble.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new EncryptedBlobException(name, "not an encrypted TrialFlow object");
        var baseNonce = preamble[Magic.Length..];

        using var aes = new AesGcm(key, TagSize);
        var content = new MemoryStream((int)Math.Min(int.MaxValue, Math.Max(0, input.Length - input.Position)));
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
