using System.Globalization;
using TrialFlow.Dicom;

namespace TrialFlow.Web.DicomWeb;

/// <summary>Resolves the bulk data paths our metadata writes: "GGGGEEEE" or "GGGGEEEE/item/GGGGEEEE/…" (items 0-based).</summary>
internal static class BulkDataPath
{
    public static DicomElement? Find(DicomDataset dataset, string path)
    {
        var parts = path.Split('/');
        if (parts.Length % 2 == 0)
            return null;
        var current = dataset;
        for (var i = 0; i < parts.Length; i += 2)
        {
            if (!TryTag(parts[i], out var tag))
                return null;
            if (i == parts.Length - 1)
                return current[tag] as DicomElement;
            if (current.GetSequence(tag) is not { } sequence
                || !int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var item) || item >= sequence.Items.Count)
                return null;
            current = sequence.Items[item];
        }
        return null;
    }

    private static bool TryTag(string text, out DicomTag tag)
    {
        tag = default;
        if (text.Length != 8 || !uint.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            return false;
        tag = new DicomTag((ushort)(value >> 16), (ushort)value);
        return true;
    }
}
