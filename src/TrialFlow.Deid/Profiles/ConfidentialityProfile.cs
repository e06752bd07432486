using System.Collections.Frozen;
using TrialFlow.Dicom;

namespace TrialFlow.Deid.Profiles;

/// <summary>Looks up the row of PS3.15 Table E.1-1 that governs a tag, wildcard rows included.</summary>
public static partial class ConfidentialityProfile
{
    // Built on first use: static fields of partial classes in two files have no defined initialization order.
    private static class Index
    {
        public static readonly FrozenDictionary<uint, ConfidentialityProfileRow> Exact =
            Rows.Where(r => r.Mask == 0xFFFFFFFFu).ToFrozenDictionary(r => r.Tag);

        public static readonly ConfidentialityProfileRow[] Wildcards = [.. Rows.Where(r => r.Mask != 0xFFFFFFFFu && !r.IsPrivateRow)];

        public static readonly ConfidentialityProfileRow Private = Rows.Single(r => r.IsPrivateRow);
    }

    /// <summary>Every row (608 tags; the three duplicated tags of 2023b merged).</summary>
    public static IReadOnlyList<ConfidentialityProfileRow> AllRows => Rows;

    /// <summary>The "(gggg,eeee) where gggg is odd" row.</summary>
    public static ConfidentialityProfileRow PrivateAttributes => Index.Private;

    /// <summary>The row for <paramref name="tag"/>: exact, then (50xx,xxxx)/(60xx,...) wildcards, then the private row; null if unlisted.</summary>
    public static ConfidentialityProfileRow? Find(DicomTag tag)
    {
        if (Index.Exact.TryGetValue(tag.Value, out var row)) return row;
        if (tag.IsPrivate) return PrivateAttributes;
        foreach (var w in Index.Wildcards)
            if ((tag.Value & w.Mask) == w.Tag) return w;
        return null;
    }
}
