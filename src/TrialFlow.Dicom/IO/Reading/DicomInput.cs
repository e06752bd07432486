using System.Buffers;
using System.Buffers.Binary;

namespace TrialFlow.Dicom.IO.Reading;

/// <summary>
/// Buffered, position-tracking reader over a stream. Every read is checked against what is left, so a corrupt
/// length can never make us allocate more than the input holds.
/// </summary>
internal sealed class DicomInput(Stream stream, string? path, long baseOffset = 0) : IDisposable
{
    private const int ChunkSize = 1 << 20;
    // pooled: a header-only parse of a file should allocate its dataset, not a fresh read buffer
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private readonly long _length = stream.CanSeek ? stream.Length - stream.Position : -1;
    private int _pos;
    private int _len;
    private long _bufferStart = baseOffset;
    private readonly long _baseOffset = baseOffset;
    private bool _eof;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Offset of the next byte, counted from the start of the file (for messages and deferred values).</summary>
    public long Position => _bufferStart + _pos;

    /// <summary>The file the stream reads, when values may be left on disk.</summary>
    public string? Path => path;

    /// <summary>Bytes left, or <see cref="long.MaxValue"/> when the stream cannot tell.</summary>
    public long Remaining => _length >= 0 ? _baseOffset + _length - Position : long.MaxValue;

    public bool KnowsLength => _length >= 0;

    /// <summary>Makes at least <paramref name="count"/> (≤ 64 KiB) bytes available; false at end of input.</summary>
    public bool Ensure(int count)
    {
        if (_len - _pos >= count) return true;
        if (_eof) return false;
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _len - _pos);
            _bufferStart += _pos;
            _len -= _pos;
            _pos = 0;
        }
        while (_len < count)
        {
            var n = stream.Read(_buffer, _len, _buffer.Length - _len);
            if (n == 0)
            {
                _eof = true;
                return false;
            }
            _len += n;
        }
        return true;
    }

    /// <summary>Bytes buffered but not consumed (after <see cref="Ensure"/>).</summary>
    public ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_pos, Math.Min(count, _len - _pos));

    public bool AtEnd => !Ensure(1);

    public ushort ReadUInt16(bool littleEndian)
    {
        var s = _buffer.AsSpan(_pos, 2);
        _pos += 2;
        return littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);
    }

    public uint ReadUInt32(bool littleEndian)
    {
        var s = _buffer.AsSpan(_pos, 4);
        _pos += 4;
        return littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
    }

    public void Advance(int count) => _pos += count;

    /// <summary>Reads exactly <paramref name="count"/> bytes; the caller has checked <see cref="Remaining"/>.</summary>
    public byte[] ReadBytes(int count, DicomTag? tag)
    {
        if (count == 0) return [];
        var available = _len - _pos;
        if (available >= count)
        {
            var copy = _buffer.AsSpan(_pos, count).ToArray();
            _pos += count;
            return copy;
        }
        if (!KnowsLength && count > ChunkSize) return ReadChunked(count, tag);
        var result = new byte[count];
        _buffer.AsSpan(_pos, available).CopyTo(result);
        var start = Position;
        _bufferStart += _len;
        _pos = _len = 0;
        var filled = available;
        while (filled < count)
        {
            var n = stream.Read(result, filled, count - filled);
            if (n == 0) throw new DicomParseException($"input ends inside a value of {count} bytes", start + filled, tag);
            filled += n;
            _bufferStart += n;
        }
        return result;
    }

    // A stream of unknown length only gets memory for bytes that actually arrive.
    private byte[] ReadChunked(int count, DicomTag? tag)
    {
        var start = Position;
        using var ms = new MemoryStream();
        var left = count;
        while (left > 0)
        {
            if (!Ensure(1)) throw new DicomParseException($"input ends inside a value of {count} bytes", start + (count - left), tag);
            var n = Math.Min(left, _len - _pos);
            ms.Write(_buffer, _pos, n);
            _pos += n;
            left -= n;
        }
        return ms.ToArray();
    }

    /// <summary>Skips bytes, seeking when the stream allows it.</summary>
    public void Skip(long count, DicomTag? tag)
    {
        var available = _len - _pos;
        if (count <= available)
        {
            _pos += (int)count;
            return;
        }
        if (stream.CanSeek)
        {
            var target = Position + count;
            stream.Seek(target - _bufferStart - _len, SeekOrigin.Current);
            _bufferStart = target;
            _pos = _len = 0;
            _eof = false;
            return;
        }
        var left = count;
        while (left > 0)
        {
            if (!Ensure(1)) throw new DicomParseException("input ends inside a skipped value", Position, tag);
            var n = (int)Math.Min(left, _len - _pos);
            _pos += n;
            left -= n;
        }
    }
}
