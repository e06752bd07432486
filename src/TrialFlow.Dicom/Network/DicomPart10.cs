using System.Buffers.Binary;
using System.Text;
using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Dicom.Network;

/// <summary>Where a Part 10 file's dataset starts and what its File Meta Information says about it.</summary>
/// <param name="SopClassUid">(0002,0002) Media Storage SOP Class UID.</param>
/// <param name="SopInstanceUid">(0002,0003) Media Storage SOP Instance UID.</param>
/// <param name="TransferSyntaxUid">(0002,0010) Transfer Syntax UID: the encoding of the bytes from <paramref name="DataSetOffset"/> on.</param>
/// <param name="DataSetOffset">Byte offset of the first dataset byte (after preamble, "DICM" and group 0002).</param>
public sealed record DicomPart10Header(string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, long DataSetOffset);

/// <summary>The Part 10 framing around a dataset received or sent over the network (PS3.10 7.1).</summary>
public static class DicomPart10
{
    /// <summary>
    /// The bytes that precede a received dataset in a Part 10 file: 128-byte preamble, "DICM" and File Meta Information
    /// (with group length, version, media storage SOP class and instance, transfer syntax, TrialFlow's implementation
    /// class UID and version name, and the sender's AE title). Write these, then the dataset bytes exactly as received.
    /// </summary>
    public static byte[] CreateFileMetaInformation(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, string? sourceAeTitle = null)
    {
        var elements = new MemoryStream(256);
        WriteElement(elements, 0x0001, "OB", [0x00, 0x01]);
        WriteElement(elements, 0x0002, "UI", Pad(sopClassUid, 0));
        WriteElement(elements, 0x0003, "UI", Pad(sopInstanceUid, 0));
        WriteElement(elements, 0x0010, "UI", Pad(transferSyntaxUid, 0));
        WriteElement(elements, 0x0012, "UI", Pad(TrialFlowImplementation.ImplementationClassUid, 0));
        WriteElement(elements, 0x0013, "SH", Pad(TrialFlowImplementation.ImplementationVersionName, (byte)' '));
        if (!string.IsNullOrWhiteSpace(sourceAeTitle)) WriteElement(elements, 0x0016, "AE", Pad(sourceAeTitle.Trim(), (byte)' '));

        var result = new byte[132 + 12 + elements.Length];
        "DICM"u8.CopyTo(result.AsSpan(128));
        var group = result.AsSpan(132);
        BinaryPrimitives.WriteUInt16LittleEndian(group, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(group[2..], 0x0000);
        "UL"u8.CopyTo(group[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(group[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(group[8..], (uint)elements.Length); // PS3.10 7.1: bytes after (0002,0000) up to the dataset
        elements.ToArray().CopyTo(result, 144);
        return result;
    }

    /// <summary>Reads the File Meta Information of a Part 10 file and finds where its dataset starts.</summary>
    /// <exception cref="DicomParseException">No "DICM" prefix, a truncated group 0002, or a missing required element.</exception>
    public static DicomPart10Header ReadHeader(Stream stream)
    {
        var start = stream.Position;
        var prefix = new byte[132];
        if (stream.ReadAtLeast(prefix, 132, throwOnEndOfStream: false) < 132 || !prefix.AsSpan(128).SequenceEqual("DICM"u8))
            throw new DicomParseException("not a Part 10 file (no DICM prefix after the preamble)", start + 128, null);
        string? sopClass = null, sopInstance = null, ts = null;
        var head = new byte[12];
        while (true)
        {
            var at = stream.Position;
            var n = stream.ReadAtLeast(head.AsSpan(0, 8), 8, throwOnEndOfStream: false);
            if (n < 8 || BinaryPrimitives.ReadUInt16LittleEndian(head) != 0x0002)
            {
                stream.Position = at;
                break;
            }
            var element = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(2));
            var vr = Encoding.ASCII.GetString(head, 4, 2);
            long length;
            if (vr is "OB" or "OW" or "OF" or "SQ" or "UT" or "UN" or "UC" or "UR" or "OD" or "OL" or "OV" or "SV" or "UV")
            {
                stream.ReadExactly(head.AsSpan(8, 4));
                length = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(8));
            }
            else length = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6));
            if (length > stream.Length - stream.Position)
                throw new DicomParseException("file meta element overruns the file", at, new DicomTag(0x00020000u | element));
            if (element is 0x0002 or 0x0003 or 0x0010)
            {
                var value = new byte[length];
                stream.ReadExactly(value);
                var text = Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
                if (element == 0x0002) sopClass = text;
                else if (element == 0x0003) sopInstance = text;
                else ts = text;
            }
            else stream.Seek(length, SeekOrigin.Current);
        }
        if (sopClass is null || sopInstance is null || ts is null)
            throw new DicomParseException("file meta information lacks (0002,0002), (0002,0003) or (0002,0010)", start + 132, null);
        return new DicomPart10Header(sopClass, sopInstance, ts, stream.Position);
    }

    /// <summary>Reads the header of the Part 10 file at <paramref name="path"/>.</summary>
    public static DicomPart10Header ReadHeader(string path)
    {
        using var fs = File.OpenRead(path);
        return ReadHeader(fs);
    }

    private static byte[] Pad(string text, byte pad)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if ((bytes.Length & 1) == 0) return bytes;
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = pad;
        return padded;
    }

    private static void WriteElement(MemoryStream ms, ushort element, string vr, byte[] value)
    {
        Span<byte> b = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(b, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], element);
        Encoding.ASCII.GetBytes(vr, b[4..]);
        if (vr == "OB")
        {
            b[6] = 0;
            b[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(b[8..], (uint)value.Length);
            ms.Write(b);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b[6..], (ushort)value.Length);
            ms.Write(b[..8]);
        }
        ms.Write(value);
    }
}
