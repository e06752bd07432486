using System.Buffers;
using System.Buffers.Binary;

namespace TrialFlow.Dicom.Network;

/// <summary>A PDU as received: its type and body (the bytes after the 6-byte header), valid until the next read.</summary>
internal readonly record struct ReceivedPdu(PduType Type, ReadOnlyMemory<byte> Body);

/// <summary>One presentation data value of a P-DATA-TF (PS3.8 9.3.5.1 and E.2).</summary>
internal readonly record struct Pdv(byte ContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data);

/// <summary>
/// Reads and writes PDUs on one transport stream (TCP or TLS). Single reader and single writer; not thread-safe.
/// Every read runs under a deadline, so a peer that trickles bytes cannot hold the connection past it.
/// </summary>
internal sealed class PduChannel(Stream stream, TimeProvider time) : IDisposable
{
    private byte[] _body = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private readonly byte[] _header = new byte[6];
    private byte[]? _send;

    public Stream Stream => stream;

    /// <summary>
    /// Reads the next PDU, which must arrive completely within <paramref name="timeout"/>. Returns null when the peer
    /// closed the connection between PDUs. Throws <see cref="DicomPduException"/> for an unknown type or a length above
    /// <paramref name="maxLength"/>, <see cref="TimeoutException"/> when the deadline passes, <see cref="EndOfStreamException"/>
    /// when the connection closes inside a PDU.
    /// </summary>
    public async Task<ReceivedPdu?> ReadAsync(uint maxLength, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var first = await stream.ReadAsync(_header.AsMemory(0, 6), linked.Token).ConfigureAwait(false);
            if (first == 0) return null;
            if (first < 6) await stream.ReadExactlyAsync(_header.AsMemory(first, 6 - first), linked.Token).ConfigureAwait(false);
            var type = _header[0];
            if (type is < 1 or > 7) throw new DicomPduException(DicomAbortReason.UnrecognizedPdu, $"unrecognized PDU type 0x{type:X2}");
            var length = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(2));
            if (length > maxLength)
                throw new DicomPduException(DicomAbortReason.InvalidPduParameterValue, $"PDU type 0x{type:X2} of {length} bytes exceeds the limit of {maxLength}");
            if (_body.Length < length)
            {
                ArrayPool<byte>.Shared.Return(_body);
                _body = ArrayPool<byte>.Shared.Rent((int)length);
            }
            await stream.ReadExactlyAsync(_body.AsMemory(0, (int)length), linked.Token).ConfigureAwait(false);
            return new ReceivedPdu((PduType)type, _body.AsMemory(0, (int)length));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no complete PDU within {timeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary>Splits a P-DATA-TF body into its PDVs, checking every length (PS3.8 9.3.5).</summary>
    public static List<Pdv> ParsePData(ReadOnlyMemory<byte> body)
    {
        var list = new List<Pdv>();
        var span = body.Span;
        var pos = 0;
        while (pos < span.Length)
        {
            if (span.Length - pos < 6) throw new DicomPduException(DicomAbortReason.InvalidPduParameterValue, "truncated PDV header");
            var length = BinaryPrimitives.ReadUInt32BigEndian(span[pos..]);
            if (length < 2 || length > (uint)(span.Length - pos - 4))
                throw new DicomPduException(DicomAbortReason.InvalidPduParameterValue, $"PDV length {length} does not fit its P-DATA-TF");
            var id = span[pos + 4];
            var header = span[pos + 5];
            list.Add(new Pdv(id, (header & 1) != 0, (header & 2) != 0, body.Slice(pos + 6, (int)length - 2)));
            pos += 4 + (int)length;
        }
        if (list.Count == 0) throw new DicomPduException(DicomAbortReason.InvalidPduParameterValue, "P-DATA-TF without a PDV");
        return list;
    }

    public Task WriteAsync(byte[] pdu, CancellationToken cancellationToken) => stream.WriteAsync(pdu, cancellationToken).AsTask();

    /// <summary>
    /// Sends one DIMSE message: the command set, then <paramref name="dataSetLength"/> bytes of <paramref name="dataSet"/>
    /// (read as they are sent), each fragmented into P-DATA-TF PDUs of at most <paramref name="peerMaxPduLength"/> bytes
    /// (0 = the peer set no limit), one PDV per PDU.
    /// </summary>
    public async Task SendMessageAsync(byte contextId, byte[] command, Stream? dataSet, long dataSetLength, uint peerMaxPduLength,
        CancellationToken cancellationToken)
    {
        // PS3.8 9.3.5: a PDU of length L carries a PDV item of L - 4 bytes whose value is 2 header bytes + data.
        var maxData = (int)Math.Clamp(peerMaxPduLength == 0 ? 1u << 20 : peerMaxPduLength, 64u, 1u << 24) - 6;
        if (_send is null || _send.Length < maxData + 12) _send = new byte[maxData + 12];

        var offset = 0;
        do
        {
            var n = Math.Min(maxData, command.Length - offset);
            command.AsSpan(offset, n).CopyTo(_send.AsSpan(12));
            offset += n;
            await SendPdvAsync(contextId, isCommand: true, isLast: offset == command.Length, n, cancellationToken).ConfigureAwait(false);
        }
        while (offset < command.Length);

        if (dataSet is null) return;
        var remaining = dataSetLength;
        do
        {
            var n = (int)Math.Min(maxData, remaining);
            await dataSet.ReadExactlyAsync(_send.AsMemory(12, n), cancellationToken).ConfigureAwait(false);
            remaining -= n;
            await SendPdvAsync(contextId, isCommand: false, isLast: remaining == 0, n, cancellationToken).ConfigureAwait(false);
        }
        while (remaining > 0);
    }

    private Task SendPdvAsync(byte contextId, bool isCommand, bool isLast, int dataLength, CancellationToken cancellationToken)
    {
        var buffer = _send!;
        buffer[0] = (byte)PduType.PData;
        buffer[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(2), (uint)(dataLength + 6));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(6), (uint)(dataLength + 2));
        buffer[10] = contextId;
        buffer[11] = (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0)); // PS3.8 E.2 message control header
        return stream.WriteAsync(buffer.AsMemory(0, dataLength + 12), cancellationToken).AsTask();
    }

    public void Dispose()
    {
        var body = Interlocked.Exchange(ref _body, []);
        if (body.Length > 0) ArrayPool<byte>.Shared.Return(body);
    }
}
