using System.Text.Json;

namespace TrialFlow.Dicom.Tests.Oracles;

/// <summary>
/// Structural comparison of DICOM JSON with pydicom's, normalising only documented differences:
/// <list type="bullet">
/// <item>group length elements (gggg,0000): PS3.18 F.2.1 leaves them out, pydicom keeps them — removed from pydicom's side;</item>
/// <item>an empty sequence: PS3.18 F.2.5 omits "Value", pydicom writes "Value": [] — treated as equal;</item>
/// <item>an empty value inside a multi-valued string: PS3.18 F.2.5 writes null, pydicom "" — treated as equal;</item>
/// <item>numbers (IS, DS, FL, FD ...) compare by numeric value, not by their text;</item>
/// <item>private elements without a VR on the wire (implicit VR, or explicit UN): pydicom takes a VR from its private
/// dictionary (from GDCM); TrialFlow has no private dictionary and keeps them as UN (PS3.5 6.2.2) — such elements are
/// only checked to be present;</item>
/// <item>OW/OF/OL/OD/OV values of big-endian files: PS3.18 F.2.7 InlineBinary is little endian, pydicom writes the
/// file's big-endian bytes — pydicom's bytes are swapped before comparing (by the sample size for 32/64-bit Pixel Data).</item>
/// </list>
/// </summary>
public static class JsonComparer
{
    public static List<string> Differences(JsonNode? expected, JsonNode? actual, bool bigEndian = false)
    {
        var diffs = new List<string>();
        CompareDataset(expected as JsonObject ?? [], actual as JsonObject ?? [], "", diffs, bigEndian);
        return diffs;
    }

    private static void CompareDataset(JsonObject expected, JsonObject actual, string path, List<string> diffs, bool bigEndian)
    {
        var keys = expected.Select(p => p.Key).Where(k => !k.EndsWith("0000", StringComparison.Ordinal))
            .Union(actual.Select(p => p.Key)).Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var p = $"{path}/{key}";
            var e = expected[key] as JsonObject;
            var a = actual[key] as JsonObject;
            if (e is null) { diffs.Add($"{p}: unexpected element {a?.ToJsonString()}"); continue; }
            if (a is null) { diffs.Add($"{p}: missing element, pydicom has {Short(e)}"); continue; }
            var vr = e["vr"]?.GetValue<string>();
            if (IsPrivate(key) && a["vr"]?.GetValue<string>() == "UN" && vr != "UN") continue;
            if (vr != a["vr"]?.GetValue<string>()) diffs.Add($"{p}: vr {vr} vs {a["vr"]}");
            var inline = e["InlineBinary"];
            if (bigEndian && inline is not null && vr is "OW" or "OF" or "OL" or "OD" or "OV")
                inline = Swap(inline.GetValue<string>(), key == "7FE00010" && vr == "OW" && BitsAllocated(expected) is 32 or 64
                    ? BitsAllocated(expected) / 8 : vr == "OW" ? 2 : vr is "OF" or "OL" ? 4 : 8);
            if (!JsonNode.DeepEquals(inline, a["InlineBinary"])) diffs.Add($"{p}: InlineBinary differs ({Short(inline)} vs {Short(a["InlineBinary"])})");
            if (!JsonNode.DeepEquals(e["BulkDataURI"], a["BulkDataURI"])) diffs.Add($"{p}: BulkDataURI differs");
            var ev = e["Value"] as JsonArray;
            var av = a["Value"] as JsonArray;
            if ((ev is null || ev.Count == 0) && (av is null || av.Count == 0)) continue;
            if (ev is null || av is null || ev.Count != av.Count) { diffs.Add($"{p}: Value {Short(ev)} vs {Short(av)}"); continue; }
            for (var i = 0; i < ev.Count; i++)
            {
                if (vr == "SQ") CompareDataset(ev[i] as JsonObject ?? [], av[i] as JsonObject ?? [], $"{p}/{i}", diffs, bigEndian);
                else if (!ValueEquals(ev[i], av[i])) diffs.Add($"{p}[{i}]: {Short(ev[i])} vs {Short(av[i])}");
            }
        }
    }

    private static int BitsAllocated(JsonObject dataset) =>
        dataset["00280100"]?["Value"]?[0]?.GetValue<int>() ?? 16;

    private static bool IsPrivate(string key)
    {
        var group = Convert.ToUInt16(key[..4], 16);
        return (group & 1) == 1 && group > 7 && Convert.ToUInt16(key[4..], 16) >= 0x1000;
    }

    private static JsonNode Swap(string base64, int unit)
    {
        var bytes = Convert.FromBase64String(base64);
        for (var i = 0; i + unit <= bytes.Length; i += unit) Array.Reverse(bytes, i, unit);
        return JsonValue.Create(Convert.ToBase64String(bytes));
    }

    private static bool ValueEquals(JsonNode? e, JsonNode? a)
    {
        if (IsEmpty(e) && IsEmpty(a)) return true;
        if (e is JsonValue ev && a is JsonValue av && ev.GetValueKind() == JsonValueKind.Number && av.GetValueKind() == JsonValueKind.Number)
            return ev.GetValue<double>() == av.GetValue<double>();
        return JsonNode.DeepEquals(e, a);
    }

    private static bool IsEmpty(JsonNode? n) => n is null || (n is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0);

    private static string Short(JsonNode? n)
    {
        var s = n?.ToJsonString() ?? "null";
        return s.Length > 120 ? s[..120] + "…" : s;
    }
}
