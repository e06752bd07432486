using System.Buffers.Binary;

namespace TrialFlow.Dicom.Pixels;

/// <summary>RLE Lossless (PS3.5 Annex G) to native pixel-interleaved little-endian bytes.</summary>
internal static class RleDecoder
{
    public static byte[] Decode(ReadOnlySpan<byte> frame, DicomPixelInfo info)
    {
        if (frame.Length < 64) throw new DicomValueException("RLE frame shorter than its 64-byte header", DicomTags.PixelData);
        var bps = info.BytesPerSample;
        var segmentCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame);
        var expected = bps * info.SamplesPerPixel;
        if (segmentCount != expected || segmentCount > 15)
            throw new DicomValueException($"RLE header has {segmentCount} segments, expected {expected}", DicomTags.PixelData);
        var pixels = info.Rows * info.Columns;
        var output = new byte[pixels * expected];
        var segment = new byte[pixels];
        for (var s = 0; s < segmentCount; s++)
        {
            var start = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + s * 4)..]);
            var end = s + 1 < segmentCount ? (int)BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + s * 4)..]) : frame.Length;
            if (start < 64 || end > frame.Length || start > end)
                throw new DicomValueException($"RLE segment {s} offsets {start}..{end} are outside the frame", DicomTags.PixelData);
            Array.Clear(segment);
            UnpackBits(frame[start..end], segment);
            // G.2: segments hold each sample's bytes most significant first
            var sample = s / bps;
            var byteInSample = bps - 1 - (s % bps);
            for (var p = 0; p < pixels; p++)
                output[(p * info.SamplesPerPixel + sample) * bps + byteInSample] = segment[p];
        }
        return output;
    }

    // G.3.1: PackBits; n ≥ 0 copies n+1 literal bytes, -127 ≤ n ≤ -1 repeats the next byte 1-n times, -128 is a no-op.
    private static void UnpackBits(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int i = 0, o = 0;
        while (i < input.Length && o < output.Length)
        {
            var n = (sbyte)input[i++];
            if (n >= 0)
            {
                var count = Math.Min(n + 1, Math.Min(input.Length - i, output.Length - o));
                input.Slice(i, count).CopyTo(output[o..]);
                i += n + 1;
                o += count;
            }
            else if (n != -128)
            {
                if (i >= input.Length) break;
                var count = Math.Min(1 - n, output.Length - o);
                output.Slice(o, count).Fill(input[i++]);
                o += count;
            }
        }
    }
}
