using System.Buffers.Binary;
using System.Text;

namespace TrialFlow.Dicom.IO.Writing;

/// <summary>
/// Writes Part 10 files (PS3.10 7): preamble, "DICM", File Meta Information with group length, then the dataset in
/// Explicit or Implicit VR Little Endian. Sequences and items are written with undefined length (PS3.5 7.5.1);
/// encapsulated pixel data is written back fragment by fragment, unchanged.
/// </summary>
public static class DicomFileWriter
{
    public static void Write(DicomDataset dataset, string path, DicomWriteOptions? options = null, DicomDataset? sourceMeta = null,
        DicomTransferSyntax? sourceSyntax = null)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(dataset, fs, options, sourceMeta, sourceSyntax);
    }

    /// <summary>Writes a file as read (keeping its meta elements such as Source Application Entity Title).</summary>
    public static void Write(DicomFile file, string path, DicomWriteOptions? options = null) =>
        Write(file.Dataset, path, options, file.FileMetaInformation, file.TransferSyntax);

    public static void Write(DicomFile file, Stream stream, DicomWriteOptions? options = null) =>
        Write(file.Dataset, stream, options, file.FileMetaInformation, file.TransferSyntax);

    /// <summary>
    /// Writes a file to a stream (e.g. a network response) without blocking on it: the file is encoded into memory,
    /// then copied asynchronously.
    /// </summary>
    public static async Task WriteAsync(DicomFile file, Stream stream, DicomWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        Write(file, buffer, options);
        buffer.Position = 0;
        await buffer.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    public static void Write(DicomDataset dataset, Stream stream, DicomWriteOptions? options = null, DicomDataset? sourceMeta = null,
        DicomTransferSyntax? sourceSyntax = null)
    {
        var ts = ChooseSyntax(dataset, options?.TransferSyntax, sourceSyntax);
        var meta = BuildMeta(dataset, ts, sourceMeta);
        var output = new BufferedStream(stream, 1 << 16);
        output.Write(new byte[128]);
        output.Write("DICM"u8);
        WriteDataset(output, meta, explicitVr: true);
        WriteDataset(output, dataset, ts.IsExplicitVR);
        output.Flush();
    }

    private static DicomTransferSyntax ChooseSyntax(DicomDataset dataset, DicomTransferSyntax? requested, DicomTransferSyntax? source)
    {
        var encapsulated = dataset.Any(i => i is DicomFragmentSequence);
        if (encapsulated)
        {
            if (source is { IsEncapsulated: true }) return source;
            return requested is { IsEncapsulated: true } ? requested
                : throw new DicomValueException("encapsulated pixel data needs its encapsulated transfer syntax", DicomTags.PixelData);
        }
        var ts = requested ?? DicomTransferSyntax.ExplicitVRLittleEndian;
        if (ts != DicomTransferSyntax.ExplicitVRLittleEndian && ts != DicomTransferSyntax.ImplicitVRLittleEndian)
            throw new DicomValueException($"writing {ts} is not supported; use Explicit or Implicit VR Little Endian", DicomTags.TransferSyntaxUID);
        return ts;
    }

    // PS3.10 7.1: the File Meta Information; (0002,0000) counts the bytes after it up to the end of group 0002.
    private static DicomDataset BuildMeta(DicomDataset dataset, DicomTransferSyntax ts, DicomDataset? source)
    {
        var meta = new DicomDataset();
        if (source is not null)
            foreach (var item in source)
                if (!item.Tag.IsGroupLength) meta.AddOrUpdate(item);
        meta.AddOrUpdate(new DicomElement(new DicomTag(0x00020001), DicomVR.OB, [0x00, 0x01]));
        var sopClass = dataset.GetString(DicomTags.SOPClassUID) ?? meta.GetString(DicomTags.MediaStorageSOPClassUID) ?? "";
        var sopInstance = dataset.GetString(DicomTags.SOPInstanceUID) ?? meta.GetString(DicomTags.MediaStorageSOPInstanceUID) ?? "";
        meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance);
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, ts.Uid);
        meta.AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, TrialFlowImplementation.ImplementationClassUid);
        meta.AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, TrialFlowImplementation.ImplementationVersionName);
        using var ms = new MemoryStream();
        WriteDataset(ms, meta, explicitVr: true);
        meta.AddOrUpdate(new DicomElement(new DicomTag(0x00020000), DicomVR.UL, BitConverter.GetBytes((uint)ms.Length)));
        return meta;
    }

    internal static void WriteDataset(Stream output, DicomDataset dataset, bool explicitVr)
    {
        foreach (var item in dataset)
        {
            if (item.Tag.IsGroupLength && item.Tag.Group != 0x0002) continue; // PS3.5 7.2: group lengths are optional and retired
            switch (item)
            {
                case DicomElement e:
                    var bytes = e.Buffer.GetBytes();
                    var odd = (bytes.Length & 1) == 1;
                    WriteHeader(output, e.Tag, e.VR, (uint)(bytes.Length + (odd ? 1 : 0)), explicitVr);
                    output.Write(bytes.Span);
                    if (odd) output.WriteByte(e.VR.PaddingByte()); // PS3.5 7.1.1: values have even length
                    break;
                case DicomSequence seq:
                    WriteHeader(output, seq.Tag, DicomVR.SQ, 0xFFFFFFFF, explicitVr);
                    foreach (var child in seq.Items)
                    {
                        WriteItemHeader(output, 0xE000, 0xFFFFFFFF);
                        WriteDataset(output, child, explicitVr);
                        WriteItemHeader(output, 0xE00D, 0);
                    }
                    WriteItemHeader(output, 0xE0DD, 0);
                    break;
                case DicomFragmentSequence frag:
                    // PS3.5 A.4: encapsulated data always has an explicit OB header with undefined length
                    WriteHeader(output, frag.Tag, frag.VR, 0xFFFFFFFF, explicitVr);
                    foreach (var fragment in frag.Fragments.Prepend(frag.OffsetTable))
                    {
                        var f = fragment.GetBytes();
                        WriteItemHeader(output, 0xE000, (uint)f.Length);
                        output.Write(f.Span);
                    }
                    WriteItemHeader(output, 0xE0DD, 0);
                    break;
            }
        }
    }

    private static void WriteHeader(Stream output, DicomTag tag, DicomVR vr, uint length, bool explicitVr)
    {
        Span<byte> h = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
        if (!explicitVr)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], length);
            output.Write(h[..8]);
            return;
        }
        h[4] = (byte)((ushort)vr >> 8);
        h[5] = (byte)vr;
        if (vr.HasLongExplicitLength())
        {
            h[6] = h[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(h[8..], length);
            output.Write(h);
            return;
        }
        if (length > 0xFFFE)
            throw new DicomValueException($"{tag} {vr.Code()} value of {length} bytes does not fit a 16-bit length", tag);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)length);
        output.Write(h[..8]);
    }

    private static void WriteItemHeader(Stream output, ushort element, uint length)
    {
        Span<byte> h = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(h, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], element);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], length);
        output.Write(h);
    }
}
