using System.Buffers.Binary;
using System.Security.Cryptography;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Uploads;

/// <summary>
/// Holds the chunks of files being uploaded, encrypted like staging (a dropped connection must not leave identified
/// bytes in clear). A client resumes by asking how many bytes arrived and sending the rest; when a file is complete
/// its chunks are joined, checked against the declared size and hash, and handed to intake.
/// </summary>
public sealed class UploadChunkStore(IntakeOptions options)
{
    private readonly string _root = Path.Combine(options.DataDirectory, "uploads");

    /// <summary>Stores the chunk that starts at <paramref name="offset"/>; returns the contiguous bytes received so far.</summary>
    public async Task<long> AppendAsync(Guid session, string fileId, long offset, Stream chunk, CancellationToken cancellationToken)
    {
        var received = Received(session, fileId);
        if (offset != received)
            throw new UploadChunkException($"file {fileId}: chunk starts at byte {offset:N0}, but {received:N0} bytes have been received; resume from there");
        var header = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(header, offset);
        var store = Store(session, fileId);
        DiscardUnrecordedChunks(store);
        var counting = new CountingStream(chunk);
        var name = await store.WriteAsync(header, counting, cancellationToken);
        // The length is written last: a chunk without one was interrupted and is discarded on the next append.
        await File.WriteAllTextAsync(LengthFile(store, name), counting.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        return offset + counting.Count;
    }

    /// <summary>Contiguous bytes received for a file (0 if none), read from the chunk file names' order and headers.</summary>
    public long Received(Guid session, string fileId)
    {
        var directory = FileDirectory(session, fileId);
        if (!Directory.Exists(directory))
            return 0;
        // Each chunk's size is recorded in a companion length file, so resuming needs no decryption.
        return Directory.EnumerateFiles(directory, "*.len").Sum(f => long.Parse(File.ReadAllText(f), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Joins the chunks of a complete file, verifying size and (when given) SHA-256; deletes the chunks.</summary>
    public async Task<MemoryStream> CompleteAsync(Guid session, string fileId, long size, string? sha256, CancellationToken cancellationToken)
    {
        var store = Store(session, fileId);
        DiscardUnrecordedChunks(store);
        var joined = new MemoryStream();
        foreach (var name in store.List())
        {
            var (header, content) = await store.ReadAsync(name, cancellationToken);
            if (BinaryPrimitives.ReadInt64LittleEndian(header) != joined.Length)
                throw new UploadChunkException($"file {fileId}: chunks are not contiguous at byte {joined.Length:N0}");
            content.CopyTo(joined);
        }

        if (joined.Length != size)
            throw new UploadChunkException($"file {fileId}: {joined.Length:N0} bytes received, {size:N0} declared; send the missing bytes");
        if (sha256 is not null && !string.Equals(Convert.ToHexStringLower(SHA256.HashData(joined.GetBuffer().AsSpan(0, (int)joined.Length))), sha256, StringComparison.OrdinalIgnoreCase))
            throw new UploadChunkException($"file {fileId}: the bytes received do not match the declared SHA-256; upload the file again");
        joined.Position = 0;
        return joined;
    }

    public void Discard(Guid session, string fileId)
    {
        var directory = FileDirectory(session, fileId);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    private EncryptedBlobStore Store(Guid session, string fileId) => new(FileDirectory(session, fileId), options.StagingKey);

    private static string LengthFile(EncryptedBlobStore store, string name) => Path.Combine(store.DirectoryPath, name + ".len");

    private static void DiscardUnrecordedChunks(EncryptedBlobStore store)
    {
        foreach (var name in store.List().Where(n => !File.Exists(LengthFile(store, n))))
            store.Delete(name);
    }

    private string FileDirectory(Guid session, string fileId)
    {
        if (fileId.Length is 0 or > 64 || fileId.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_'))
            throw new UploadChunkException($"'{fileId}' is not a valid file id (1-64 letters, digits, '-' or '_')");
        return Path.Combine(_root, session.ToString("N"), fileId);
    }

    /// <summary>Counts the bytes a chunk carried, so its length can be recorded beside it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Counted(await inner.ReadAsync(buffer, cancellationToken));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Counted(int read)
        {
            Count += read;
            return read;
        }
    }
}

/// <summary>A chunk or a completed upload that cannot be accepted; the message says what to send instead.</summary>
public sealed class UploadChunkException(string message) : Exception(message);
