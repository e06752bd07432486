using System.Buffers.Binary;
using System.Text;

namespace TrialFlow.Dicom.Network;

/// <summary>DIMSE command field values (PS3.7 E.1).</summary>
internal static class DimseCommandField
{
    public const ushort CStoreRequest = 0x0001;
    public const ushort CStoreResponse = 0x8001;
    public const ushort CEchoRequest = 0x0030;
    public const ushort CEchoResponse = 0x8030;
    public const ushort CFindRequest = 0x0020;
    public const ushort CFindResponse = 0x8020;
    public const ushort CMoveRequest = 0x0021;
    public const ushort CMoveResponse = 0x8021;
    public const ushort CGetRequest = 0x0010;
    public const ushort CGetResponse = 0x8010;
    public const ushort CCancelRequest = 0x0FFF;
    public const ushort ResponseBit = 0x8000;
}

/// <summary>
/// A DIMSE command set (PS3.7 E.1): group 0000, always Implicit VR Little Endian, led by (0000,0000) Command Group Length.
/// Only the elements C-ECHO, C-STORE, C-FIND, C-MOVE, C-GET and C-CANCEL use are kept; others are skipped when parsing.
/// </summary>
internal sealed class DimseCommand
{
    /// <summary>(0000,0800) value meaning "no data set follows".</summary>
    public const ushort NoDataSet = 0x0101;

    public ushort CommandField { get; init; }
    public ushort MessageId { get; init; }
    public ushort? MessageIdBeingRespondedTo { get; init; }
    public string? AffectedSopClassUid { get; init; }
    public string? AffectedSopInstanceUid { get; init; }
    public ushort? Priority { get; init; }
    public ushort CommandDataSetType { get; init; } = NoDataSet;
    public ushort? Status { get; init; }
    public string? ErrorComment { get; init; }
    public string? MoveOriginatorAeTitle { get; init; }
    public ushort? MoveOriginatorMessageId { get; init; }

    /// <summary>(0000,0600) the AE title a C-MOVE sends the instances to.</summary>
    public string? MoveDestination { get; init; }

    /// <summary>(0000,1020)–(0000,1023): a retrieve's sub-operations remaining, completed, failed and with warnings.</summary>
    public ushort? RemainingSuboperations { get; init; }
    public ushort? CompletedSuboperations { get; init; }
    public ushort? FailedSuboperations { get; init; }
    public ushort? WarningSuboperations { get; init; }

    public bool HasDataSet => CommandDataSetType != NoDataSet;

    /// <summary>
    /// (0008,0058) Failed SOP Instance UID List, when a peer put it in a retrieve response's command set instead of a data
    /// set (dcmtk-based PACS such as Orthanc 1.10 do); read only when parsing leniently.
    /// </summary>
    public IReadOnlyList<string> FailedSopInstanceUids { get; init; } = [];

    /// <param name="bytes">The command set.</param>
    /// <param name="lenient">
    /// Skip elements outside group 0000 instead of refusing the command set: what an SCU does with a peer's responses, as
    /// dcmtk does (an SCP keeps refusing them from the requests it serves).
    /// </param>
    public static DimseCommand Parse(ReadOnlySpan<byte> bytes, bool lenient = false)
    {
        var failedUids = new List<string>();
        ushort? commandField = null, messageId = null, responded = null, priority = null, dataSetType = null, status = null, moveId = null;
        ushort? remaining = null, completed = null, failed = null, warning = null;
        string? sopClass = null, sopInstance = null, comment = null, moveAe = null, destination = null;
        var pos = 0;
        while (pos < bytes.Length)
        {
            if (bytes.Length - pos < 8) throw Bad($"truncated element header at offset {pos}");
            var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes[pos..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(pos + 2)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(pos + 4)..]);
            pos += 8;
            if (group != 0x0000 && !lenient) throw Bad($"element ({group:X4},{element:X4}) outside group 0000 in a command set");
            if (length > (uint)(bytes.Length - pos)) throw Bad($"element ({group:X4},{element:X4}) of {length} bytes overruns the command set");
            var value = bytes.Slice(pos, (int)length);
            pos += (int)length;
            if (group != 0x0000)
            {
                if (group == 0x0008 && element == 0x0058)
                    failedUids.AddRange(Text(value).Split('\\', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                continue;
            }
            switch (element)
            {
                case 0x0002: sopClass = Text(value); break;
                case 0x0100: commandField = UInt16(value, element); break;
                case 0x0110: messageId = UInt16(value, element); break;
                case 0x0120: responded = UInt16(value, element); break;
                case 0x0600: destination = Text(value); break;
                case 0x0700: priority = UInt16(value, element); break;
                case 0x0800: dataSetType = UInt16(value, element); break;
                case 0x0900: status = UInt16(value, element); break;
                case 0x0902: comment = Text(value); break;
                case 0x1000: sopInstance = Text(value); break;
                case 0x1020: remaining = UInt16(value, element); break;
                case 0x1021: completed = UInt16(value, element); break;
                case 0x1022: failed = UInt16(value, element); break;
                case 0x1023: warning = UInt16(value, element); break;
                case 0x1030: moveAe = Text(value); break;
                case 0x1031: moveId = UInt16(value, element); break;
                default: break;
            }
        }
        if (commandField is null) throw Bad("command set without (0000,0100) Command Field");
        if (dataSetType is null) throw Bad("command set without (0000,0800) Command Data Set Type");
        return new DimseCommand
        {
            CommandField = commandField.Value, MessageId = messageId ?? 0, MessageIdBeingRespondedTo = responded,
            AffectedSopClassUid = sopClass, AffectedSopInstanceUid = sopInstance, Priority = priority,
            CommandDataSetType = dataSetType.Value, Status = status, ErrorComment = comment,
            MoveOriginatorAeTitle = moveAe, MoveOriginatorMessageId = moveId, MoveDestination = destination,
            RemainingSuboperations = remaining, CompletedSuboperations = completed, FailedSuboperations = failed, WarningSuboperations = warning,
            FailedSopInstanceUids = failedUids,
        };
    }

    public byte[] Encode()
    {
        var ms = new MemoryStream(256);
        Span<byte> head = stackalloc byte[12];
        ms.Write(head); // (0000,0000) UL, patched below
        WriteText(ms, 0x0002, AffectedSopClassUid, uid: true);
        WriteUInt16(ms, 0x0100, CommandField);
        // PS3.7 9.3.2.3: C-CANCEL-RQ names the request it cancels (0000,0120) and carries no Message ID of its own.
        if ((CommandField & DimseCommandField.ResponseBit) == 0 && CommandField != DimseCommandField.CCancelRequest) WriteUInt16(ms, 0x0110, MessageId);
        WriteUInt16(ms, 0x0120, MessageIdBeingRespondedTo);
        WriteText(ms, 0x0600, MoveDestination, uid: false);
        WriteUInt16(ms, 0x0700, Priority);
        WriteUInt16(ms, 0x0800, CommandDataSetType);
        WriteUInt16(ms, 0x0900, Status);
        WriteText(ms, 0x0902, ErrorComment is { Length: > 64 } c ? c[..64] : ErrorComment, uid: false);
        WriteText(ms, 0x1000, AffectedSopInstanceUid, uid: true);
        WriteUInt16(ms, 0x1020, RemainingSuboperations);
        WriteUInt16(ms, 0x1021, CompletedSuboperations);
        WriteUInt16(ms, 0x1022, FailedSuboperations);
        WriteUInt16(ms, 0x1023, WarningSuboperations);
        WriteText(ms, 0x1030, MoveOriginatorAeTitle, uid: false);
        WriteUInt16(ms, 0x1031, MoveOriginatorMessageId);
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)(bytes.Length - 12));
        return bytes;
    }

    private static void WriteUInt16(MemoryStream ms, ushort element, ushort? value)
    {
        if (value is null) return;
        Span<byte> b = stackalloc byte[10];
        BinaryPrimitives.WriteUInt16LittleEndian(b, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], element);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(b[8..], value.Value);
        ms.Write(b);
    }

    private static void WriteText(MemoryStream ms, ushort element, string? value, bool uid)
    {
        if (value is null) return;
        var bytes = Encoding.ASCII.GetBytes(value);
        var padded = bytes.Length + (bytes.Length & 1);
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(b, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], element);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], (uint)padded);
        ms.Write(b);
        ms.Write(bytes);
        if (padded != bytes.Length) ms.WriteByte(uid ? (byte)0 : (byte)' '); // PS3.5 6.2: UI pads with NUL, text with space
    }

    private static ushort UInt16(ReadOnlySpan<byte> value, ushort element) =>
        value.Length == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(value) : throw Bad($"(0000,{element:X4}) is {value.Length} bytes, 2 expected");

    private static string Text(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value).TrimEnd('\0', ' ').TrimStart(' ');

    private static DicomPduException Bad(string message) => new(DicomAbortReason.InvalidPduParameterValue, "invalid DIMSE command set: " + message);
}
