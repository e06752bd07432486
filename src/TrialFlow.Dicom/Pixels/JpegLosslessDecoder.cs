using System.Buffers.Binary;

namespace TrialFlow.Dicom.Pixels;

/// <summary>
/// JPEG Lossless, non-hierarchical, Huffman coded (ITU-T T.81 Annex H, process 14: DICOM 1.2.840.10008.1.2.4.57 and
/// .70) to native pixel-interleaved little-endian bytes. Every predictor (1–7), point transform, restart intervals,
/// interleaved and one-scan-per-component frames; components must not be subsampled (DICOM never does in lossless).
/// </summary>
internal static class JpegLosslessDecoder
{
    private const byte Soi = 0xD8, Eoi = 0xD9, Sof3 = 0xC3, Dht = 0xC4, Sos = 0xDA, Dri = 0xDD, Dnl = 0xDC;

    public static byte[] Decode(ReadOnlySpan<byte> data, DicomPixelInfo info)
    {
        try
        {
            return DecodeFrame(data, info);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            // Lengths and table sizes that point past the data: a corrupt stream, said as such rather than as a crash.
            throw Error($"the JPEG data is corrupt: a segment or table runs past the end of the frame ({data.Length} bytes)");
        }
    }

    private static byte[] DecodeFrame(ReadOnlySpan<byte> data, DicomPixelInfo info)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != Soi)
            throw Error("the frame does not start with a JPEG SOI marker");
        var tables = new JpegHuffmanTable?[4];
        Frame? frame = null;
        var restartInterval = 0;
        var position = 2;
        while (true)
        {
            var marker = NextMarker(data, ref position);
            if (marker == Eoi)
                break;
            if (marker is >= 0xD0 and <= 0xD7)
                continue; // a stray restart marker between scans carries nothing
            var length = ReadLength(data, position, marker);
            var segment = data.Slice(position + 2, length - 2);
            position += length;
            switch (marker)
            {
                case Sof3:
                    frame = ReadFrame(segment, info);
                    break;
                case >= 0xC0 and <= 0xCF and not Dht and not 0xC8 and not 0xCC:
                    throw Error($"JPEG SOF marker FF{marker:X2} is not lossless Huffman (process 14 needs SOF3)");
                case Dht:
                    ReadHuffmanTables(segment, tables);
                    break;
                case Dri:
                    restartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                    break;
                case Sos:
                    if (frame is null)
                        throw Error("JPEG scan (SOS) before the frame header (SOF3)");
                    position = DecodeScan(data, position, segment, frame, tables, restartInterval);
                    break;
                case Dnl:
                    break; // the frame's line count came from the DICOM header already
                default:
                    break; // APPn, COM, DQT: nothing lossless decoding needs
            }
        }
        if (frame is null || frame.ScansDecoded == 0)
            throw Error("the JPEG frame holds no scan");
        return frame.ToNative(info);
    }

    private sealed class Frame(int precision, int lines, int samplesPerLine, int[] componentIds)
    {
        public int Precision { get; } = precision;

        public int Lines { get; } = lines;

        public int SamplesPerLine { get; } = samplesPerLine;

        public int[] ComponentIds { get; } = componentIds;

        public int[][] Samples { get; } = componentIds.Select(_ => new int[lines * samplesPerLine]).ToArray();

        public int ScansDecoded { get; set; }

        public byte[] ToNative(DicomPixelInfo info)
        {
            var bytesPerSample = info.BytesPerSample;
            var components = Samples.Length;
            var output = new byte[Lines * SamplesPerLine * components * bytesPerSample];
            for (var p = 0; p < Lines * SamplesPerLine; p++)
                for (var c = 0; c < components; c++)
                {
                    var at = (p * components + c) * bytesPerSample;
                    var value = Samples[c][p];
                    output[at] = (byte)value;
                    if (bytesPerSample == 2)
                        output[at + 1] = (byte)(value >> 8);
                }
            return output;
        }
    }

    private static Frame ReadFrame(ReadOnlySpan<byte> segment, DicomPixelInfo info)
    {
        var precision = segment[0];
        var lines = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
        var samplesPerLine = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
        var components = segment[5];
        if (precision is < 2 or > 16)
            throw Error($"JPEG sample precision {precision} is outside 2..16");
        if (lines == 0)
            lines = (ushort)info.Rows; // a DNL marker would carry it; DICOM's Rows says the same
        if (lines != info.Rows || samplesPerLine != info.Columns || components != info.SamplesPerPixel)
            throw Error($"JPEG frame is {samplesPerLine}×{lines} with {components} component(s), the DICOM header says {info.Columns}×{info.Rows} with {info.SamplesPerPixel}");
        if (precision > info.BitsAllocated)
            throw Error($"JPEG sample precision {precision} exceeds Bits Allocated {info.BitsAllocated}");
        var ids = new int[components];
        for (var c = 0; c < components; c++)
        {
            ids[c] = segment[6 + c * 3];
            if (segment[7 + c * 3] != 0x11)
                throw Error($"JPEG component {ids[c]} is subsampled (H/V {segment[7 + c * 3]:X2}); lossless DICOM frames are not");
        }
        return new Frame(precision, lines, samplesPerLine, ids);
    }

    private static void ReadHuffmanTables(ReadOnlySpan<byte> segment, JpegHuffmanTable?[] tables)
    {
        var at = 0;
        while (at < segment.Length)
        {
            var (tableClass, id) = (segment[at] >> 4, segment[at] & 0x0F);
            if (tableClass != 0 || id > 3)
                throw Error($"JPEG Huffman table class {tableClass} id {id}: lossless uses DC tables 0..3");
            var counts = segment.Slice(at + 1, 16);
            var total = 0;
            foreach (var count in counts)
                total += count;
            tables[id] = new JpegHuffmanTable(counts, segment.Slice(at + 17, total));
            at += 17 + total;
        }
    }

    private static int DecodeScan(ReadOnlySpan<byte> data, int position, ReadOnlySpan<byte> header, Frame frame, JpegHuffmanTable?[] tables, int restartInterval)
    {
        var count = header[0];
        var components = new int[count];
        var scanTables = new JpegHuffmanTable[count];
        for (var j = 0; j < count; j++)
        {
            components[j] = Array.IndexOf(frame.ComponentIds, (int)header[1 + j * 2]);
            if (components[j] < 0)
                throw Error($"JPEG scan names component {header[1 + j * 2]}, which the frame does not have");
            scanTables[j] = tables[header[2 + j * 2] >> 4] ?? throw Error($"JPEG scan uses Huffman table {header[2 + j * 2] >> 4}, which was never defined");
        }
        var predictor = header[1 + count * 2];
        var pointTransform = header[3 + count * 2] & 0x0F;
        if (predictor is < 1 or > 7)
            throw Error($"JPEG lossless predictor {predictor} is outside 1..7");

        var bits = new JpegBitReader(data, position);
        var (width, height) = (frame.SamplesPerLine, frame.Lines);
        var initial = 1 << (frame.Precision - pointTransform - 1);
        var mcusPerInterval = restartInterval == 0 ? int.MaxValue : restartInterval;
        var mcusLeft = mcusPerInterval;
        var firstLine = 0; // the line a restart interval began on: it is predicted like the first line of the image
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (mcusLeft == 0)
                {
                    bits.Restart();
                    mcusLeft = mcusPerInterval;
                    if (x != 0)
                        throw Error($"JPEG restart interval {restartInterval} does not end on a line boundary (T.81 H.1.2.1)");
                    firstLine = y;
                }
                mcusLeft--;
                for (var j = 0; j < count; j++)
                {
                    var samples = frame.Samples[components[j]];
                    var at = y * width + x;
                    int prediction;
                    if (y == firstLine)
                        prediction = x == 0 ? initial : samples[at - 1];
                    else if (x == 0)
                        prediction = samples[at - width];
                    else
                    {
                        int a = samples[at - 1], b = samples[at - width], c = samples[at - width - 1];
                        prediction = predictor switch
                        {
                            1 => a,
                            2 => b,
                            3 => c,
                            4 => a + b - c,
                            5 => a + ((b - c) >> 1),
                            6 => b + ((a - c) >> 1),
                            _ => (a + b) >> 1,
                        };
                    }
                    samples[at] = (prediction + Difference(ref bits, scanTables[j])) & 0xFFFF; // modulo 2^16 (H.2.1)
                }
            }
        }
        if (pointTransform > 0)
            foreach (var c in components)
                for (var i = 0; i < frame.Samples[c].Length; i++)
                    frame.Samples[c][i] <<= pointTransform;
        frame.ScansDecoded++;
        return bits.End;
    }

    /// <summary>One coded difference: its magnitude category, then that many bits (F.1.2.1, H.1.2.2: 16 has none).</summary>
    private static int Difference(ref JpegBitReader bits, JpegHuffmanTable table)
    {
        var category = table.Decode(ref bits);
        if (category == 0)
            return 0;
        if (category == 16)
            return 32768;
        if (category > 16)
            throw Error($"JPEG difference category {category} is above 16");
        var value = bits.Read(category);
        return value < 1 << (category - 1) ? value - (1 << category) + 1 : value;
    }

    private static byte NextMarker(ReadOnlySpan<byte> data, ref int position)
    {
        while (position + 1 < data.Length && (data[position] != 0xFF || data[position + 1] is 0xFF or 0x00))
            position++;
        if (position + 1 >= data.Length)
            throw Error("the JPEG frame ends without an EOI marker");
        var marker = data[position + 1];
        position += 2;
        return marker;
    }

    private static int ReadLength(ReadOnlySpan<byte> data, int position, byte marker)
    {
        if (position + 2 > data.Length)
            throw Error($"JPEG segment FF{marker:X2} is cut off");
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
        if (length < 2 || position + length > data.Length)
            throw Error($"JPEG segment FF{marker:X2} at byte {position} claims {length} bytes, the frame has {data.Length - position} left");
        return length;
    }

    internal static DicomValueException Error(string message) => new(message, DicomTags.PixelData);
}
