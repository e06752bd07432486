using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Uploads;

/// <summary>
/// Holds the chunks of files being uploaded, encrypted like staging (a dropped connection must not leave identified
/// bytes in clear). A client resumes by asking how many bytes arrived and sending the rest; when a file is complete
/// its chunks are joined, checked against the declared total, size and hash, and handed to intake.
/// A file's folder holds its chunks, the length of each chunk kept, and the total its first chunk declared. Only whole
/// chunks that match their Content-Range are kept, and the requests for one file take turns.
/// </summary>
public sealed class UploadChunkStore(IntakeOptions options)
{
    private const string DeclaredTotalFile = "declared-total";

    private readonly string _root = Path.Combine(options.DataDirectory, "uploads");
    private readonly FileLocks _locks = new();

    /// <summary>
    /// Keeps the chunk <paramref name="range"/> of a file if it is the next one and its body is exactly what the range
    /// declares; returns the contiguous bytes received so far. A chunk refused or broken off leaves nothing behind.
    /// </summary>
    public async Task<long> AppendAsync(Guid session, string fileId, ChunkRange range, Stream body, CancellationToken cancellationToken)
    {
        var directory = FileDirectory(session, fileId);
        if (range.Total > options.MaxObjectBytes)
            throw new UploadTooLargeException(fileId, range.Total, options.MaxObjectBytes);
        if (!range.IsWithinFile)
            throw new ChunkRefusedException(fileId, $"Content-Range {range} does not lie inside a file of {range.Total:N0} bytes");

        using var turn = await _locks.AcquireAsync(directory, cancellationToken);
        var received = ReceivedIn(directory);
        // The first chunk kept fixes the file's total; a chunk declaring another belongs to another file.
        if (received > 0 && DeclaredTotal(directory) is { } total && total != range.Total)
            throw new ChunkRefusedException(fileId, $"its first chunk declared a file of {total:N0} bytes; this chunk declares {range.Total:N0}");
        if (range.From != received)
            throw new UploadChunkException(fileId, received, $"file {fileId}: the chunk starts at byte {range.From:N0}, but {received:N0} bytes have been received; resume from byte {received}");

        var store = new EncryptedBlobStore(directory, options.StagingKey);
        DiscardUnrecordedChunks(store);
        var header = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(header, range.From);
        var chunk = new DeclaredLengthStream(body, fileId, range.Length);
        string? name = null;
        var kept = false;
        try
        {
            name = await store.WriteAsync(header, chunk, cancellationToken);
            await chunk.ConfirmEndAsync(cancellationToken);
            if (received == 0)
                WriteNumber(Path.Combine(directory, DeclaredTotalFile), range.Total);
            // The length is recorded last: a chunk without one was interrupted and is discarded on the next append.
            WriteNumber(LengthFile(store, name), range.Length);
            kept = true;
        }
        finally
        {
            if (!kept && name is not null)
                store.Delete(name);
            if (!kept && received == 0)
                Directory.Delete(directory, recursive: true);
        }

        return received + range.Length;
    }

    /// <summary>Contiguous bytes received for a file (0 if none), from the lengths recorded beside its chunks.</summary>
    public long Received(Guid session, string fileId) => ReceivedIn(FileDirectory(session, fileId));

    /// <summary>
    /// Joins the chunks of a complete file, checks them against the total its first chunk declared and the size and
    /// (when given) SHA-256 the client states, and hands the file to <paramref name="handOff"/>. A file short of bytes
    /// keeps its chunks, so the client can send the rest. Once the file is handed off, or refused by intake, or its bytes
    /// do not match their hash, its chunks are deleted: sending the same bytes again cannot change that.
    /// </summary>
    public async Task CompleteAsync(Guid session, string fileId, long size, string? sha256, Func<Stream, CancellationToken, Task> handOff, CancellationToken cancellationToken)
    {
        var directory = FileDirectory(session, fileId);
        using var turn = await _locks.AcquireAsync(directory, cancellationToken);
        var received = ReceivedIn(directory);
        if (received > 0 && DeclaredTotal(directory) is { } total && total != size)
            throw new UploadChunkException(fileId, received, $"file {fileId}: its chunks declared a file of {total:N0} bytes, not {size:N0}");
        await using var joined = await JoinAsync(directory, fileId, cancellationToken);
        if (joined.Length != size)
            throw new UploadChunkException(fileId, joined.Length, $"file {fileId}: {joined.Length:N0} bytes received, {size:N0} declared; send the missing bytes");
        if (sha256 is not null && !string.Equals(Convert.ToHexStringLower(SHA256.HashData(joined.GetBuffer().AsSpan(0, (int)joined.Length))), sha256, StringComparison.OrdinalIgnoreCase))
        {
            Discard(directory);
            throw new UploadChunkException(fileId, 0, $"file {fileId}: the bytes received do not match the declared SHA-256; they were discarded: upload the file again from byte 0");
        }

        joined.Position = 0;
        try
        {
            await handOff(joined, cancellationToken);
        }
        catch (IntakeRejectedException)
        {
            Discard(directory);
            throw;
        }

        Discard(directory);
    }

    private async Task<MemoryStream> JoinAsync(string directory, string fileId, CancellationToken cancellationToken)
    {
        var joined = new MemoryStream();
        if (!Directory.Exists(directory))
            return joined;
        var store = new EncryptedBlobStore(directory, options.StagingKey);
        DiscardUnrecordedChunks(store);
        foreach (var name in store.List())
        {
            var (header, content) = await store.ReadAsync(name, cancellationToken);
            if (BinaryPrimitives.ReadInt64LittleEndian(header) != joined.Length)
                throw new UploadChunkException(fileId, joined.Length, $"file {fileId}: chunks are not contiguous at byte {joined.Length:N0}");
            content.CopyTo(joined);
        }

        return joined;
    }

    private static long ReceivedIn(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.len").Sum(ReadNumber) : 0;

    private static long? DeclaredTotal(string directory)
    {
        var path = Path.Combine(directory, DeclaredTotalFile);
        return File.Exists(path) ? ReadNumber(path) : null;
    }

    private static void Discard(string directory)
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    private static string LengthFile(EncryptedBlobStore store, string name) => Path.Combine(store.DirectoryPath, name + ".len");

    private static void DiscardUnrecordedChunks(EncryptedBlobStore store)
    {
        foreach (var name in store.List().Where(n => !File.Exists(LengthFile(store, n))))
            store.Delete(name);
    }

    private static long ReadNumber(string path) => long.Parse(File.ReadAllText(path), CultureInfo.InvariantCulture);

    /// <summary>Writes a number whole or not at all: a torn length would make the file's progress unreadable.</summary>
    private static void WriteNumber(string path, long value)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, value.ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, path, overwrite: true);
    }

    private string FileDirectory(Guid session, string fileId)
    {
        // The id becomes a folder name: only a closed alphabet, so no id can reach outside the session's folder.
        if (fileId.Length is 0 or > 64 || fileId.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_'))
            throw new InvalidFileIdException(fileId);
        return Path.Combine(_root, session.ToString("N"), fileId);
    }
}
