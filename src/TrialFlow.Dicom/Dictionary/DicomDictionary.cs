using System.Collections.Frozen;
using System.Globalization;

namespace TrialFlow.Dicom;

/// <summary>Looks up PS3.6 attributes by tag or keyword, including repeating groups (50xx, 60xx, 7Fxx ...).</summary>
public static class DicomDictionary
{
    private static readonly Tables Data = Build();

    /// <summary>All entries, in the order of the standard.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => Data.All;

    /// <summary>Finds the entry for a tag; repeating-group and group-length tags are resolved too.</summary>
    public static bool TryGet(DicomTag tag, out DicomDictionaryEntry entry)
    {
        if (Data.ByTag.TryGetValue(tag.Value, out entry!)) return true;
        foreach (var masked in tag.IsPrivate ? [] : Data.Masked)
        {
            if ((tag.Value & masked.Mask) == masked.Tag.Value)
            {
                entry = masked;
                return true;
            }
        }
        if (tag.IsGroupLength && !tag.IsPrivate && tag.Group != 0xFFFE)
        {
            // PS3.5 7.2: every standard group may carry a Group Length (gggg,0000) UL
            entry = new DicomDictionaryEntry(tag, 0xFFFFFFFF, "GroupLength", "Group Length", [DicomVR.UL], "1", true);
            return true;
        }
        entry = null!;
        return false;
    }

    /// <summary>The entry for a tag, or null for unknown and private tags.</summary>
    public static DicomDictionaryEntry? Find(DicomTag tag) => TryGet(tag, out var e) ? e : null;

    /// <summary>Finds a tag by its keyword, e.g. "PatientID".</summary>
    public static bool TryGetTag(string keyword, out DicomTag tag)
    {
        if (Data.ByKeyword.TryGetValue(keyword, out var e))
        {
            tag = e.Tag;
            return true;
        }
        tag = default;
        return false;
    }

    /// <summary>Name of a storage SOP class UID (from the standard's SOP class table), or null.</summary>
    public static string? FindSopClassName(string uid) => Data.SopClasses.GetValueOrDefault(uid);

    /// <summary>The keyword of a tag, or null.</summary>
    public static string? KeywordOf(DicomTag tag) => TryGet(tag, out var e) ? e.Keyword : null;

    private sealed record Tables(
        IReadOnlyList<DicomDictionaryEntry> All,
        FrozenDictionary<uint, DicomDictionaryEntry> ByTag,
        DicomDictionaryEntry[] Masked,
        FrozenDictionary<string, DicomDictionaryEntry> ByKeyword,
        FrozenDictionary<string, string> SopClasses);

    private static Tables Build()
    {
        var all = new List<DicomDictionaryEntry>(DicomDictionaryData.Attributes.Length);
        var byTag = new Dictionary<uint, DicomDictionaryEntry>();
        var masked = new List<DicomDictionaryEntry>();
        foreach (var (pattern, keyword, name, vr, vm, retired) in DicomDictionaryData.Attributes)
        {
            uint value = 0, mask = 0;
            foreach (var c in pattern)
            {
                value <<= 4;
                mask <<= 4;
                if (c != 'X')
                {
                    value |= uint.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    mask |= 0xF;
                }
            }
            var entry = new DicomDictionaryEntry(new DicomTag(value), mask, keyword, name, ParseVrs(vr), vm, retired);
            all.Add(entry);
            if (mask == 0xFFFFFFFF) byTag.TryAdd(value, entry);
            else masked.Add(entry);
        }
        var byKeyword = new Dictionary<string, DicomDictionaryEntry>(StringComparer.Ordinal);
        foreach (var e in all) byKeyword.TryAdd(e.Keyword, e);
        var sops = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (uid, name) in DicomDictionaryData.StorageSopClasses) sops.TryAdd(uid, name);
        return new Tables(all, byTag.ToFrozenDictionary(), [.. masked], byKeyword.ToFrozenDictionary(StringComparer.Ordinal),
            sops.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static DicomVR[] ParseVrs(string text)
    {
        if (text.Length == 0) return [];
        var parts = text.Split(" or ", StringSplitOptions.TrimEntries);
        var result = new List<DicomVR>(parts.Length);
        foreach (var p in parts)
            if (DicomVRInfo.TryParse(p, out var vr)) result.Add(vr);
        return [.. result];
    }
}
