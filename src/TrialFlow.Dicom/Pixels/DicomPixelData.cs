using System.Buffers.Binary;

namespace TrialFlow.Dicom.Pixels;

/// <summary>Finds frame N of native or encapsulated Pixel Data and decodes native, RLE Lossless and JPEG Lossless frames.</summary>
public static class DicomPixelData
{
    /// <summary>Number of frames (Number of Frames, or 1).</summary>
    public static int GetFrameCount(DicomDataset ds) => DicomPixelInfo.FromDataset(ds).NumberOfFrames;

    /// <summary>
    /// The bytes of frame <paramref name="frame"/> (0-based) as stored: a slice of native pixel data (little endian), or
    /// the compressed bitstream of an encapsulated frame. Deferred pixel data is read from disk for that frame only.
    /// </summary>
    public static ReadOnlyMemory<byte> GetFrameBytes(DicomDataset ds, int frame)
    {
        var info = DicomPixelInfo.FromDataset(ds);
        if (frame < 0 || frame >= info.NumberOfFrames)
            throw new DicomValueException($"frame {frame} does not exist: the image has {info.NumberOfFrames}", DicomTags.PixelData);
        switch (ds[DicomTags.PixelData])
        {
            case DicomElement native:
                if (info.BitsAllocated == 1 && info.NumberOfFrames > 1)
                    throw new DicomValueException("multi-frame 1-bit pixel data is not supported", DicomTags.PixelData);
                var offset = info.FrameLength * frame;
                if (offset + info.FrameLength > native.Length)
                    throw new DicomValueException($"pixel data holds {native.Length} bytes, frame {frame} needs {offset + info.FrameLength}", DicomTags.PixelData);
                return native.Buffer.GetRange(offset, checked((int)info.FrameLength));
            case DicomFragmentSequence encapsulated:
                return EncapsulatedFrames.GetFrame(ds, encapsulated, frame, info.NumberOfFrames);
            default:
                throw new DicomValueException("the dataset has no Pixel Data", DicomTags.PixelData);
        }
    }

    private const string JpegLossless = "1.2.840.10008.1.2.4.57", JpegLosslessFirstOrder = "1.2.840.10008.1.2.4.70";

    /// <summary>Whether <see cref="GetUncompressedFrameBytes"/> can decode frames stored in <paramref name="transferSyntax"/>.</summary>
    public static bool CanDecode(DicomTransferSyntax transferSyntax) =>
        !transferSyntax.IsEncapsulated || transferSyntax.Uid is JpegLossless or JpegLosslessFirstOrder || transferSyntax.Uid == DicomTransferSyntax.RLELossless.Uid;

    /// <summary>
    /// Frame <paramref name="frame"/> (0-based) as native little-endian bytes: a slice of native pixel data as stored, or
    /// an RLE Lossless or JPEG Lossless frame decoded, which comes out pixel-interleaved whatever the dataset's Planar
    /// Configuration says.
    /// </summary>
    public static ReadOnlyMemory<byte> GetUncompressedFrameBytes(DicomDataset ds, int frame, DicomTransferSyntax transferSyntax)
    {
        if (!CanDecode(transferSyntax))
            throw new DicomValueException($"decoding {transferSyntax.Name} is not supported", DicomTags.PixelData);
        var bytes = GetFrameBytes(ds, frame);
        return transferSyntax.Uid switch
        {
            JpegLossless or JpegLosslessFirstOrder => JpegLosslessDecoder.Decode(bytes.Span, DicomPixelInfo.FromDataset(ds)),
            _ when transferSyntax.IsEncapsulated => RleDecoder.Decode(bytes.Span, DicomPixelInfo.FromDataset(ds)),
            _ => bytes,
        };
    }

    /// <summary>Decodes a frame of native (uncompressed), RLE Lossless or JPEG Lossless pixel data to samples.</summary>
    public static DicomFrame DecodeFrame(DicomDataset ds, int frame, DicomTransferSyntax transferSyntax)
    {
        var info = DicomPixelInfo.FromDataset(ds);
        var bytes = GetUncompressedFrameBytes(ds, frame, transferSyntax).Span;
        return new DicomFrame(info, NativeDecoder.Decode(bytes, transferSyntax.IsEncapsulated ? info with { PlanarConfiguration = 0 } : info));
    }
}

/// <summary>Native pixel data (PS3.5 8.1.1, 8.2) to samples.</summary>
internal static class NativeDecoder
{
    public static int[] Decode(ReadOnlySpan<byte> data, DicomPixelInfo info)
    {
        var spp = info.SamplesPerPixel;
        var pixels = info.Rows * info.Columns;
        var result = new int[pixels * spp];
        var bps = info.BytesPerSample;
        if (info.BitsAllocated == 1)
        {
            for (var i = 0; i < result.Length; i++) result[i] = (data[i >> 3] >> (i & 7)) & 1; // PS3.5 8.1.1: LSB first
            return result;
        }
        if (bps is not (1 or 2 or 4))
            throw new DicomValueException($"Bits Allocated {info.BitsAllocated} is not supported", DicomTags.BitsAllocated);
        var shift = 32 - info.BitsStored;
        var lowBit = info.HighBit - info.BitsStored + 1;
        for (var p = 0; p < pixels; p++)
        {
            for (var s = 0; s < spp; s++)
            {
                // PS3.3 C.7.6.3.1.3: planar configuration 1 stores each colour plane in turn
                var index = info.PlanarConfiguration == 1 ? s * pixels + p : p * spp + s;
                var at = index * bps;
                uint raw = bps switch
                {
                    1 => data[at],
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(data[at..]),
                    _ => BinaryPrimitives.ReadUInt32LittleEndian(data[at..]),
                };
                raw >>= Math.Max(lowBit, 0);
                // keep Bits Stored bits, sign-extending when Pixel Representation is 1
                var value = info.BitsStored >= 32 ? (int)raw
                    : info.IsSigned ? ((int)(raw << shift)) >> shift
                    : (int)((raw << shift) >> shift);
                result[p * spp + s] = value;
            }
        }
        return result;
    }
}
