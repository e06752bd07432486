using System.Buffers.Binary;

namespace TrialFlow.Dicom;

/// <summary>
/// The bytes of a value, always in little-endian order. Either held in memory or a reference to a byte range of
/// a file that is read only when asked for (so headers of large multi-frame files are read without their pixels).
/// </summary>
public abstract class DicomBuffer
{
    /// <summary>Number of bytes in the value.</summary>
    public abstract long Length { get; }

    /// <summary>True when the bytes are still on disk.</summary>
    public abstract bool IsDeferred { get; }

    /// <summary>The bytes; a deferred buffer reads its file range on every call (the caller decides whether to keep it).</summary>
    public abstract ReadOnlyMemory<byte> GetBytes();

    /// <summary>Reads <paramref name="count"/> bytes at <paramref name="offset"/> (only that range for deferred buffers).</summary>
    public virtual ReadOnlyMemory<byte> GetRange(long offset, int count) => GetBytes().Slice(checked((int)offset), count);

    /// <summary>
    /// Copies bytes starting at <paramref name="offset"/> into <paramref name="destination"/> (its whole length), without
    /// allocating: the way to stream large pixel data through a reused buffer.
    /// </summary>
    public virtual void CopyTo(long offset, Span<byte> destination) =>
        GetBytes().Span.Slice(checked((int)offset), destination.Length).CopyTo(destination);

    /// <summary>An empty value.</summary>
    public static DicomBuffer Empty { get; } = new MemoryDicomBuffer(ReadOnlyMemory<byte>.Empty);

    /// <summary>Wraps bytes that are already little-endian.</summary>
    public static DicomBuffer FromBytes(ReadOnlyMemory<byte> bytes) => bytes.IsEmpty ? Empty : new MemoryDicomBuffer(bytes);
}

internal sealed class MemoryDicomBuffer(ReadOnlyMemory<byte> bytes) : DicomBuffer
{
    public override long Length => bytes.Length;
    public override bool IsDeferred => false;
    public override ReadOnlyMemory<byte> GetBytes() => bytes;
}

/// <summary>A value left in its file: path, offset, length, and the byte-swap unit for big-endian files.</summary>
internal sealed class FileRangeDicomBuffer(string path, long offset, long length, int swapUnit) : DicomBuffer
{
    public string Path => path;
    public long Offset => offset;
    public override long Length => length;
    public override bool IsDeferred => true;

    public override ReadOnlyMemory<byte> GetRange(long start, int count)
    {
        var data = GC.AllocateUninitializedArray<byte>(count);
        CopyTo(start, data);
        return data;
    }

    public override ReadOnlyMemory<byte> GetBytes()
    {
        if (length > Array.MaxLength) throw new DicomParseException("value too large to load into memory", offset, null);
        return GetRange(0, (int)length);
    }

    public override void CopyTo(long start, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + destination.Length, length);
        using var handle = OpenFile();
        var done = 0;
        while (done < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination[done..], offset + start + done);
            if (n == 0) throw new DicomParseException("file is shorter than when it was read", offset + start + done, null);
            done += n;
        }
        // a swap unit never straddles the range when callers ask for whole samples (frames, whole values)
        ByteSwap.InPlace(destination, swapUnit);
    }

    private Microsoft.Win32.SafeHandles.SafeFileHandle OpenFile()
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DicomParseException($"the file holding this deferred value can no longer be read ({ex.Message})", offset, null, ex);
        }
    }
}

internal static class ByteSwap
{
    /// <summary>Reverses each unit of <paramref name="unit"/> bytes (2, 4 or 8); 0 or 1 leaves the data alone.</summary>
    public static void InPlace(Span<byte> data, int unit)
    {
        switch (unit)
        {
            case 2:
                var s = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(data[..(data.Length & ~1)]);
                BinaryPrimitives.ReverseEndianness(s, s);
                break;
            case 4:
                var i = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(data[..(data.Length & ~3)]);
                BinaryPrimitives.ReverseEndianness(i, i);
                break;
            case 8:
                var l = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(data[..(data.Length & ~7)]);
                BinaryPrimitives.ReverseEndianness(l, l);
                break;
        }
    }
}
