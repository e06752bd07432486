using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace TrialFlow.Intake.Staging;

/// <summary>
/// Staging for the many small objects a modality or PACS pushes: each object, encrypted (<see cref="ObjectCipher"/>),
/// is appended to a segment file, and one flush to disk makes everything appended since the previous flush durable
/// (group commit). Creating, flushing and renaming one file per object cost ~2–6 ms of file-system journal work per
/// acknowledgement; an append and a shared flush cost a fraction of that.
/// </summary>
/// <remarks>
/// Record: "TFSR", name length (1 byte), name (ASCII), payload length (4 bytes LE), payload (the encrypted object).
/// Segments are preallocated (zeros after the last record) and flushed with fdatasync where available.
/// Which objects are still staged lives in memory; after a restart every record in the surviving segments counts as
/// staged again, and the pipeline recognises the ones it had settled by their receipts. A segment file is deleted once
/// it is no longer written to and all its objects are settled. A record cut short by a crash can only be the last of
/// its segment and was never acknowledged: it is dropped when the segment is reopened.
/// </remarks>
public sealed class StagingLog : IDisposable
{
    private const long SegmentLimit = 64L << 20;
    private static ReadOnlySpan<byte> RecordMagic => "TFSR"u8;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly ObjectCipher _cipher;
    private readonly SortedDictionary<string, Entry> _staged = new(StringComparer.Ordinal);
    private Segment? _active;
    private long _appended;
    private long _flushed;
    private bool _disposed;

    public StagingLog(string directory, byte[] key)
    {
        Directory.CreateDirectory(directory);
        DirectoryPath = directory;
        _cipher = new ObjectCipher(key);
        foreach (var path in Directory.EnumerateFiles(directory, "*.seg").Order(StringComparer.Ordinal))
            Reopen(path);
    }

    public string DirectoryPath { get; }

    /// <summary>Encrypts and appends an object; returns its name once it is durable.</summary>
    public async Task<string> WriteAsync(string name, ReadOnlyMemory<byte> header, Stream content, CancellationToken cancellationToken)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        var prefix = RecordMagic.Length + 1 + nameBytes.Length + 4;
        var expected = ObjectCipher.EncryptedLength(header.Length, content.CanSeek ? content.Length - content.Position : 0);
        using var record = new MemoryStream((int)Math.Min(int.MaxValue, prefix + expected));
        record.SetLength(prefix);
        record.Position = prefix;
        await _cipher.EncryptAsync(header, content, record, cancellationToken);
        var bytes = record.GetBuffer().AsMemory(0, (int)record.Length);
        WritePrefix(bytes.Span, nameBytes, (int)record.Length - prefix);

        long ticket;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var segment = _active is { } a && a.Length + bytes.Length <= SegmentLimit ? a : Roll();
            var offset = segment.Length;
            try
            {
                RandomAccess.Write(segment.Handle, bytes.Span, offset);
            }
            catch
            {
                // A half-written record must not sit in front of later ones: cut it off and move to a fresh segment.
                try { RandomAccess.SetLength(segment.Handle, offset); } catch (IOException) { }
                Roll();
                throw;
            }
            segment.Length += bytes.Length;
            segment.Live++;
            _staged[name] = new Entry(segment, offset + prefix, bytes.Length - prefix);
            ticket = ++_appended;
        }

        await FlushThroughAsync(ticket, cancellationToken);
        return name;
    }

    /// <summary>Decrypts a staged object, fully verified.</summary>
    public async Task<(byte[] Header, MemoryStream Content)> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var payload = ReadPayload(name);
        return await _cipher.DecryptAsync(new MemoryStream(payload, writable: false), name, cancellationToken);
    }

    /// <summary>The encrypted bytes of a staged object, e.g. to move it to quarantine without decrypting it.</summary>
    public byte[] ReadPayload(string name)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_staged.TryGetValue(name, out entry!))
                throw new FileNotFoundException($"staged object {name} is not in the staging log");
        }

        var payload = new byte[entry.Length];
        if (RandomAccess.Read(entry.Segment.Handle, payload, entry.Offset) != payload.Length)
            throw new EncryptedBlobException(name, "its record in the staging log is truncated");
        return payload;
    }

    public bool Exists(string name)
    {
        lock (_gate)
            return _staged.ContainsKey(name);
    }

    /// <summary>Staged objects, oldest first.</summary>
    public IReadOnlyList<string> List()
    {
        lock (_gate)
            return [.. _staged.Keys];
    }

    /// <summary>Forgets a settled object; its segment goes once every object in it is settled.</summary>
    public void Delete(string name)
    {
        lock (_gate)
        {
            if (!_staged.Remove(name, out var entry))
                return;
            if (--entry.Segment.Live == 0 && (entry.Segment != _active || entry.Segment.Length >= SegmentLimit / 2))
                Retire(entry.Segment);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var segment in _staged.Values.Select(e => e.Segment).Append(_active).OfType<Segment>().Distinct())
                segment.Handle.Dispose();
            _active = null;
        }
    }

    private async Task FlushThroughAsync(long ticket, CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _flushed) >= ticket)
                return; // another writer's flush covered this record
            Segment? segment;
            long target;
            lock (_gate)
            {
                segment = _active;
                target = _appended;
            }
            try
            {
                if (segment is not null)
                    DataSync.Flush(segment.Handle);
            }
            catch (ObjectDisposedException)
            {
                // Retired meanwhile: every object in it was settled, so there is nothing left to make durable.
            }
            Volatile.Write(ref _flushed, target);
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>Seals the active segment (flushed, so records appended to it stay covered) and starts a new one.</summary>
    private Segment Roll()
    {
        if (_active is { } previous)
        {
            RandomAccess.FlushToDisk(previous.Handle);
            if (previous.Live == 0)
                Retire(previous);
        }

        // Names sort by creation so segments reopen, and objects list, in arrival order. The space is allocated up front
        // (and made durable once) so that an append does not change the file's size: flushing it then writes the data
        // only, not the file system journal, which is most of the cost of a durable acknowledgement.
        var path = Path.Combine(DirectoryPath, $"{DateTime.UtcNow:yyyyMMddHHmmssfffffff}-{Guid.NewGuid():N}.seg");
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, FileOptions.None, SegmentLimit);
        RandomAccess.FlushToDisk(handle);
        return _active = new Segment(path, handle);
    }

    private void Retire(Segment segment)
    {
        segment.Handle.Dispose();
        File.Delete(segment.Path);
        if (segment == _active)
            _active = null;
    }

    /// <summary>Indexes the records of a segment left by a previous run; drops a record cut short at its end.</summary>
    private void Reopen(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var segment = new Segment(path, handle) { Length = RandomAccess.GetLength(handle) };
        var bytes = new byte[segment.Length];
        RandomAccess.Read(handle, bytes, 0);
        // Records end where the preallocated zeros begin (or where a crash cut the last one short).
        long offset = 0;
        while (TryReadRecord(bytes, offset, out var name, out var payloadOffset, out var payloadLength))
        {
            // Only the last record can have been cut short by a crash (in a preallocated segment its length may be
            // written and its bytes not); a record that fails authentication with another record after it is damage,
            // kept so that reading it fails loudly instead of the object vanishing.
            var end = payloadOffset + payloadLength;
            var isLast = !TryReadRecord(bytes, end, out _, out _, out _);
            if (isLast && !_cipher.Verifies(bytes.AsSpan((int)payloadOffset, payloadLength)))
                break;
            _staged[name] = new Entry(segment, payloadOffset, payloadLength);
            segment.Live++;
            offset = end;
        }

        if (offset < segment.Length)
        {
            RandomAccess.SetLength(handle, offset);
            segment.Length = offset;
        }

        if (segment.Live == 0)
        {
            handle.Dispose();
            File.Delete(path);
        }
    }

    private static bool TryReadRecord(byte[] bytes, long offset, out string name, out long payloadOffset, out int payloadLength)
    {
        name = "";
        payloadOffset = 0;
        payloadLength = 0;
        var span = bytes.AsSpan((int)offset);
        if (span.Length < RecordMagic.Length + 1 || !span[..RecordMagic.Length].SequenceEqual(RecordMagic))
            return false;
        var nameLength = span[RecordMagic.Length];
        var lengthAt = RecordMagic.Length + 1 + nameLength;
        if (span.Length < lengthAt + 4)
            return false;
        payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[lengthAt..]);
        if (payloadLength < 0 || span.Length < lengthAt + 4 + payloadLength)
            return false;
        name = Encoding.ASCII.GetString(span.Slice(RecordMagic.Length + 1, nameLength));
        payloadOffset = offset + lengthAt + 4;
        return true;
    }

    private static void WritePrefix(Span<byte> record, byte[] name, int payloadLength)
    {
        RecordMagic.CopyTo(record);
        record[RecordMagic.Length] = checked((byte)name.Length);
        name.CopyTo(record[(RecordMagic.Length + 1)..]);
        BinaryPrimitives.WriteInt32LittleEndian(record[(RecordMagic.Length + 1 + name.Length)..], payloadLength);
    }

    private sealed class Segment(string path, SafeFileHandle handle)
    {
        public string Path { get; } = path;

        public SafeFileHandle Handle { get; } = handle;

        public long Length { get; set; }

        public int Live { get; set; }
    }

    private sealed record Entry(Segment Segment, long Offset, int Length);
}
