using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TrialFlow.Dicom.Json;

/// <summary>Writes the DICOM JSON Model (PS3.18 Annex F).</summary>
public static class DicomJsonWriter
{
    /// <summary>The dataset as a DICOM JSON object.</summary>
    public static string Write(DicomDataset dataset, DicomJsonOptions? options = null)
    {
        options ??= DicomJsonOptions.Default;
        using var ms = new MemoryStream();
        using (var writer = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = options.Indented, SkipValidation = false }))
            WriteDataset(writer, dataset, options, []);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes the dataset as a JSON object to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonOptions? options = null) =>
        WriteDataset(writer, dataset, options ?? DicomJsonOptions.Default, []);

    private static void WriteDataset(Utf8JsonWriter w, DicomDataset ds, DicomJsonOptions options, List<(DicomTag, int)> path)
    {
        w.WriteStartObject();
        foreach (var item in ds)
        {
            if (item.Tag.IsGroupLength && !options.IncludeGroupLengths) continue;
            w.WritePropertyName(item.Tag.ToJsonKey());
            w.WriteStartObject();
            w.WriteString("vr", item.VR.Code());
            path.Add((item.Tag, 0));
            switch (item)
            {
                case DicomSequence seq:
                    if (seq.Items.Count > 0)
                    {
                        w.WriteStartArray("Value");
                        for (var i = 0; i < seq.Items.Count; i++)
                        {
                            path[^1] = (item.Tag, i);
                            WriteDataset(w, seq.Items[i], options, path);
                        }
                        w.WriteEndArray();
                    }
                    break;
                case DicomFragmentSequence frag:
                    WriteBulk(w, EncapsulatedBytes(frag), frag.OffsetTable.Length + frag.Fragments.Sum(f => f.Length + 8) + 8, options, path);
                    break;
                case DicomElement e:
                    WriteElementValue(w, ds, e, options, path);
                    break;
            }
            path.RemoveAt(path.Count - 1);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteElementValue(Utf8JsonWriter w, DicomDataset ds, DicomElement e, DicomJsonOptions options, List<(DicomTag, int)> path)
    {
        if (e.IsEmpty) return;
        var vr = e.VR;
        if (vr.IsBinary())
        {
            WriteBulk(w, () => e.Buffer.GetBytes(), e.Length, options, path);
            return;
        }
        if (vr == DicomVR.PN)
        {
            var names = DicomValueCodec.DecodeStrings(vr, e.Buffer.GetBytes().Span, ds.CharacterSet);
            if (names.Length == 0) return;
            w.WriteStartArray("Value");
            foreach (var name in names)
            {
                var groups = name.Split('=');
                var count = groups.Length;
                while (count > 1 && groups[count - 1].Length == 0) count--; // as pydicom: no trailing empty groups
                groups = groups[..count];
                w.WriteStartObject();
                w.WriteString("Alphabetic", groups[0]);
                if (groups.Length > 1) w.WriteString("Ideographic", groups[1]);
                if (groups.Length > 2) w.WriteString("Phonetic", groups[2]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            return;
        }
        if (vr.IsString())
        {
            var values = DicomValueCodec.DecodeStrings(vr, e.Buffer.GetBytes().Span, ds.CharacterSet);
            if (values.Length == 0) return;
            w.WriteStartArray("Value");
            foreach (var v in values)
            {
                if (v.Length == 0) w.WriteNullValue();
                else if (vr == DicomVR.IS && long.TryParse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) w.WriteNumberValue(l);
                else if (vr == DicomVR.IS && double.TryParse(v.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var isd) && isd == Math.Floor(isd) && Math.Abs(isd) < 9e18) w.WriteNumberValue((long)isd);
                else if (vr == DicomVR.DS && double.TryParse(v.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) w.WriteNumberValue(d);
                else w.WriteStringValue(v);
            }
            w.WriteEndArray();
            return;
        }
        var bytes = e.Buffer.GetBytes().Span;
        var size = vr.ValueSize();
        if (size == 0) return;
        w.WriteStartArray("Value");
        for (var i = 0; (long)(i + 1) * size <= bytes.Length; i++)
        {
            DicomValueCodec.TryReadNumber(vr, bytes, i, out var integer, out var real, out var isReal);
            if (vr == DicomVR.AT) w.WriteStringValue(new DicomTag((uint)integer).ToJsonKey());
            else if (isReal)
            {
                if (double.IsFinite(real)) w.WriteNumberValue(real);
                else w.WriteStringValue(real.ToString(CultureInfo.InvariantCulture)); // PS3.18 has no NaN/Infinity numbers
            }
            else if (vr == DicomVR.UV) w.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]));
            else w.WriteNumberValue(integer);
        }
        w.WriteEndArray();
    }

    private static void WriteBulk(Utf8JsonWriter w, Func<ReadOnlyMemory<byte>> bytes, long length, DicomJsonOptions options, List<(DicomTag Tag, int Item)> path)
    {
        if (length == 0) return;
        // The threshold spares small binary values a round trip, but never applies to the image itself: metadata for a
        // viewer must not carry pixel data (PS3.18 10.4.1.1.3), however small the image.
        var isPixelData = path is [{ Tag: var tag }] && tag == DicomTags.PixelData;
        if (options.BulkData == DicomJsonBulkData.InlineBinary || (length < options.BulkDataThreshold && !isPixelData))
        {
            w.WriteBase64String("InlineBinary", bytes().Span);
            return;
        }
        if (options.BulkData == DicomJsonBulkData.BulkDataUri)
        {
            var uri = options.BulkDataUriFactory?.Invoke(path) ?? "bulk/" + string.Join('/', path.Select((p, i) =>
                i == path.Count - 1 ? p.Tag.ToJsonKey() : $"{p.Tag.ToJsonKey()}/{p.Item}"));
            w.WriteString("BulkDataURI", uri);
        }
    }

    /// <summary>Encapsulated pixel data as on the wire (items with their headers, no sequence delimiter), as pydicom exposes it.</summary>
    private static Func<ReadOnlyMemory<byte>> EncapsulatedBytes(DicomFragmentSequence frag) => () =>
    {
        using var ms = new MemoryStream();
        Span<byte> header = stackalloc byte[8];
        foreach (var buffer in frag.Fragments.Prepend(frag.OffsetTable))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0xE000FFFE);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)buffer.Length);
            ms.Write(header);
            ms.Write(buffer.GetBytes().Span);
        }
        return ms.ToArray();
    };
}
