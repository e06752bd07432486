using System.Buffers.Binary;

namespace TrialFlow.Dicom.Pixels;

/// <summary>Maps fragments of encapsulated pixel data to frames (PS3.5 A.4).</summary>
internal static class EncapsulatedFrames
{
    public static ReadOnlyMemory<byte> GetFrame(DicomDataset ds, DicomFragmentSequence pixels, int frame, int frameCount)
    {
        var fragments = pixels.Fragments;
        if (fragments.Count == 0) throw new DicomValueException("encapsulated pixel data has no fragments", DicomTags.PixelData);

        // Extended Offset Table (7FE0,0001) and lengths (7FE0,0002), PS3.3 C.7.6.3.1.8
        if (ds[new DicomTag(0x7FE00001)] is DicomElement eot && ds[new DicomTag(0x7FE00002)] is DicomElement eotLengths
            && eot.Length / 8 == frameCount && eotLengths.Length / 8 == frameCount)
        {
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(eot.Buffer.GetBytes().Span[(frame * 8)..]);
            var length = BinaryPrimitives.ReadUInt64LittleEndian(eotLengths.Buffer.GetBytes().Span[(frame * 8)..]);
            // PS3.5 A.4: with an Extended Offset Table each frame is exactly one fragment
            var fragment = FragmentsAt(fragments, offset, offset + 1, inclusiveEnd: false)[0];
            if (length > (ulong)fragment.Length)
                throw new DicomValueException($"Extended Offset Table length {length} of frame {frame} exceeds its fragment ({fragment.Length} bytes)", DicomTags.PixelData);
            return fragment.GetRange(0, (int)length);
        }

        var bot = pixels.GetBasicOffsets();
        if (bot.Count == frameCount && frameCount > 0)
        {
            // Basic Offset Table: offsets of each frame's first fragment item, from the first fragment item (A.4 c)
            ulong start = bot[frame];
            var end = frame + 1 < frameCount ? bot[frame + 1] : ulong.MaxValue;
            return Concatenate(FragmentsAt(fragments, start, end, inclusiveEnd: false));
        }
        if (frameCount == 1) return Concatenate(fragments);
        if (fragments.Count == frameCount) return fragments[frame].GetBytes();

        // No usable table: a frame starts at each fragment that begins with a JPEG SOI or JPEG 2000 SOC marker
        var starts = new List<int>();
        for (var i = 0; i < fragments.Count; i++)
        {
            var head = fragments[i].GetRange(0, (int)Math.Min(2, fragments[i].Length)).Span;
            if (head.Length == 2 && head[0] == 0xFF && head[1] is 0xD8 or 0x4F) starts.Add(i);
        }
        if (starts.Count != frameCount)
            throw new DicomValueException($"cannot tell which of {fragments.Count} fragments make up {frameCount} frames", DicomTags.PixelData);
        var last = frame + 1 < starts.Count ? starts[frame + 1] : fragments.Count;
        return Concatenate(fragments.Skip(starts[frame]).Take(last - starts[frame]).ToList());
    }

    private static List<DicomBuffer> FragmentsAt(IReadOnlyList<DicomBuffer> fragments, ulong start, ulong end, bool inclusiveEnd)
    {
        var result = new List<DicomBuffer>();
        ulong position = 0;
        foreach (var f in fragments)
        {
            if (position >= start && (position < end || (inclusiveEnd && position == end))) result.Add(f);
            position += 8 + (ulong)f.Length;
        }
        if (result.Count == 0) throw new DicomValueException($"no fragment starts at offset {start}", DicomTags.PixelData);
        return result;
    }

    private static ReadOnlyMemory<byte> Concatenate(IReadOnlyList<DicomBuffer> fragments)
    {
        if (fragments.Count == 1) return fragments[0].GetBytes();
        var total = fragments.Sum(f => f.Length);
        var result = new byte[total];
        var at = 0;
        foreach (var f in fragments)
        {
            f.GetBytes().Span.CopyTo(result.AsSpan(at));
            at += (int)f.Length;
        }
        return result;
    }
}
