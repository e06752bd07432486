using System.Buffers;
using System.Buffers.Binary;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Deid.Engine;

/// <summary>
/// Writes a de-identified dataset as a Part 10 file. Native pixel data still on disk (a deferred value of the source
/// file) is streamed through a pooled buffer instead of being loaded whole: TrialFlow.Dicom's writer materializes every
/// value, which costs an allocation and a copy of each frame in a header-only edit like de-identification.
/// </summary>
public static class DeidFileWriter
{
    private const int Chunk = 1 << 20;

    public static void Write(DicomDataset dataset, string path, DicomTransferSyntax? sourceSyntax)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(dataset, stream, sourceSyntax);
    }

    public static void Write(DicomDataset dataset, Stream stream, DicomTransferSyntax? sourceSyntax)
    {
        var last = dataset.LastOrDefault();
        if (last is not DicomElement { Buffer.IsDeferred: true, VR: DicomVR.OB or DicomVR.OW } pixels || last.Tag != DicomTags.PixelData)
        {
            DicomFileWriter.Write(dataset, stream, null, sourceMeta: null, sourceSyntax: sourceSyntax);
            return;
        }
        // Native pixel data is the last element: the writer chooses Explicit VR Little Endian for native data, so the
        // element can follow the rest of the dataset with an explicit long header (PS3.5 7.1.2).
        dataset.Remove(DicomTags.PixelData);
        try
        {
            DicomFileWriter.Write(dataset, stream, null, sourceMeta: null, sourceSyntax: sourceSyntax);
        }
        finally
        {
            dataset.AddOrUpdate(pixels);
        }
        var length = pixels.Length;
        var padded = length + (length & 1);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, DicomTags.PixelData.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], DicomTags.PixelData.Element);
        header[4] = (byte)((ushort)pixels.VR >> 8);
        header[5] = (byte)pixels.VR;
        header[6] = header[7] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], checked((uint)padded));
        stream.Write(header);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Chunk, Math.Max(length, 1)));
        try
        {
            for (long done = 0; done < length;)
            {
                var n = (int)Math.Min(buffer.Length, length - done);
                pixels.Buffer.CopyTo(done, buffer.AsSpan(0, n));
                stream.Write(buffer, 0, n);
                done += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if ((length & 1) == 1) stream.WriteByte(0);
    }
}
