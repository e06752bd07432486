namespace TrialFlow.Intake.Uploads;

/// <summary>
/// The body of one chunk, read up to the length its Content-Range declares and not a byte further. A body that ends
/// early or goes on past that length is refused while it is being read, before the chunk is kept: a client can neither
/// store more than it declared nor leave a short chunk that shifts every later offset.
/// </summary>
internal sealed class DeclaredLengthStream(Stream body, string fileId, long declared) : Stream
{
    private long _read;
    private bool _endConfirmed;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => declared;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    private long Remaining => declared - _read;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
            return 0;
        if (Remaining == 0)
        {
            await ConfirmEndAsync(cancellationToken);
            return 0;
        }

        return Counted(await body.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Remaining)], cancellationToken));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (count == 0)
            return 0;
        if (Remaining == 0)
        {
            if (!_endConfirmed && body.Read(new byte[1], 0, 1) > 0)
                throw TooLong();
            _endConfirmed = true;
            return 0;
        }

        return Counted(body.Read(buffer, offset, (int)Math.Min(count, Remaining)));
    }

    /// <summary>Checks that the body ends where its Content-Range says, whether or not the reader went that far.</summary>
    public async ValueTask ConfirmEndAsync(CancellationToken cancellationToken)
    {
        if (_endConfirmed)
            return;
        if (Remaining > 0)
            throw new InvalidOperationException($"file {fileId}: the chunk was not read to its end ({Remaining:N0} bytes left)");
        if (await body.ReadAsync(new byte[1], cancellationToken) > 0)
            throw TooLong();
        _endConfirmed = true;
    }

    private int Counted(int read)
    {
        if (read == 0)
            throw new ChunkRefusedException(fileId, $"the chunk carried {_read:N0} bytes; its Content-Range declares {declared:N0}");
        _read += read;
        return read;
    }

    private ChunkRefusedException TooLong() => new(fileId, $"the chunk carries more than the {declared:N0} bytes its Content-Range declares");

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
