using System.Globalization;
using System.Text.Json;

namespace TrialFlow.Dicom.Json;

/// <summary>
/// Reads the DICOM JSON Model (PS3.18 Annex F) into a dataset, e.g. STOW-RS metadata. Text is encoded with the
/// dataset's Specific Character Set (so keep (0008,0005) able to hold it, e.g. "ISO_IR 192"); BulkDataURI values are
/// resolved by a callback or left empty.
/// </summary>
public static class DicomJsonReader
{
    /// <summary>Parses a JSON object; <paramref name="resolveBulkData"/> turns a BulkDataURI into bytes (default: empty value).</summary>
    public static DicomDataset Read(string json, Func<string, ReadOnlyMemory<byte>>? resolveBulkData = null)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return ReadDataset(doc.RootElement, resolveBulkData, null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new DicomValueException($"not DICOM JSON: {ex.Message}", default, ex);
        }
    }

    private static DicomDataset ReadDataset(JsonElement obj, Func<string, ReadOnlyMemory<byte>>? resolve, DicomSequence? parent)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw new DicomValueException("a DICOM JSON dataset must be an object", default);
        var ds = new DicomDataset();
        if (parent is not null) parent.Add(ds); // items see their parent's character set while being filled
        // PS3.18 F.2: keys are tags; read Specific Character Set first so text can be encoded with it
        var properties = obj.EnumerateObject().OrderBy(p => p.Name == "00080005" ? 0 : 1).ThenBy(p => p.Name, StringComparer.Ordinal);
        foreach (var property in properties)
        {
            var tag = DicomTag.Parse(property.Name);
            var element = property.Value;
            var vrText = element.TryGetProperty("vr", out var v) ? v.GetString() ?? "" : "";
            if (!DicomVRInfo.TryParse(vrText, out var vr))
                vr = DicomDictionary.Find(tag)?.ValueRepresentation ?? throw new DicomValueException($"{tag} has no valid \"vr\"", tag);
            ReadElement(ds, tag, vr, element, resolve);
        }
        return ds;
    }

    private static void ReadElement(DicomDataset ds, DicomTag tag, DicomVR vr, JsonElement element, Func<string, ReadOnlyMemory<byte>>? resolve)
    {
        if (element.TryGetProperty("InlineBinary", out var inline))
        {
            ds.AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.FromBytes(inline.GetBytesFromBase64())));
            return;
        }
        if (element.TryGetProperty("BulkDataURI", out var uri))
        {
            var bytes = resolve?.Invoke(uri.GetString() ?? "") ?? ReadOnlyMemory<byte>.Empty;
            ds.AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.FromBytes(bytes)));
            return;
        }
        var values = element.TryGetProperty("Value", out var value) && value.ValueKind == JsonValueKind.Array ? value : default;
        var count = values.ValueKind == JsonValueKind.Array ? values.GetArrayLength() : 0;
        if (vr == DicomVR.SQ)
        {
            var sequence = new DicomSequence(tag);
            ds.AddOrUpdate(sequence);
            if (count > 0)
                foreach (var item in values.EnumerateArray()) ReadDataset(item, resolve, sequence);
            return;
        }
        if (count == 0)
        {
            ds.AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.Empty));
            return;
        }
        var items = values.EnumerateArray().ToList();
        switch (vr)
        {
            case DicomVR.PN:
                ds.AddOrUpdate(tag, vr, items.Select(PersonName).ToArray());
                break;
            case DicomVR.AT:
                ds.AddOrUpdate(tag, vr, items.Select(i => DicomTag.Parse(i.GetString() ?? "")).ToArray());
                break;
            case DicomVR.FL or DicomVR.FD or DicomVR.OF or DicomVR.OD:
                ds.AddOrUpdate(tag, vr, items.Select(Number).ToArray());
                break;
            case DicomVR.UV:
                ds.AddOrUpdate(tag, vr, items.Select(i => i.GetUInt64()).ToArray());
                break;
            case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.SV or DicomVR.OW or DicomVR.OL or DicomVR.OV:
                ds.AddOrUpdate(tag, vr, items.Select(i => i.GetInt64()).ToArray());
                break;
            default:
                ds.AddOrUpdate(tag, vr, items.Select(i => Text(vr, i)).ToArray());
                break;
        }
    }

    private static double Number(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.Parse(e.GetString() ?? "NaN", CultureInfo.InvariantCulture);

    private static string Text(DicomVR vr, JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.String => e.GetString() ?? "",
        JsonValueKind.Number when vr == DicomVR.DS => DicomValueCodec.FormatDecimalString(e.GetDouble()),
        JsonValueKind.Number => e.GetRawText(),
        _ => throw new DicomValueException($"unexpected JSON {e.ValueKind} in a {vr.Code()} value", default),
    };

    private static string PersonName(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null) return "";
        if (e.ValueKind == JsonValueKind.String) return e.GetString() ?? "";
        string Group(string name) => e.TryGetProperty(name, out var g) ? g.GetString() ?? "" : "";
        return new DicomPersonName(Group("Alphabetic"), Group("Ideographic"), Group("Phonetic")).ToString();
    }
}
