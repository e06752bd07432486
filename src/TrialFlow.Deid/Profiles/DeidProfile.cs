using TrialFlow.Dicom;

namespace TrialFlow.Deid.Profiles;

/// <summary>What a per-tag override does to an attribute, after (instead of) the table.</summary>
public enum OverrideAction
{
    /// <summary>Keep the value byte for byte.</summary>
    Keep,
    /// <summary>Remove the attribute.</summary>
    Remove,
    /// <summary>Keep the attribute with a zero-length value.</summary>
    Empty,
    /// <summary>Replace the value with the override's fixed text.</summary>
    Replace,
    /// <summary>Replace the value with a keyed hash (HMAC-SHA256 of tag and value, same input → same output across the trial).</summary>
    Hash,
}

/// <summary>An explicit rule for one tag.</summary>
public sealed record TagOverride(DicomTag Tag, OverrideAction Action, string? Value = null);

/// <summary>A private element that is safe to keep under Retain Safe Private: creator and element offset (xx of (gggg,xxee) → ee).</summary>
public sealed record SafePrivateElement(ushort Group, string Creator, byte ElementOffset);

/// <summary>A rectangle of native pixel data to blank (set to 0) on images from one device signature, as RSNA CTP's pixel anonymizer does.</summary>
public sealed record PixelBlankingRule(string? Manufacturer, string? Model, int Rows, int Columns, IReadOnlyList<PixelRectangle> Rectangles)
{
    public bool Matches(string? manufacturer, string? model, int rows, int columns) =>
        rows == Rows && columns == Columns
        && (Manufacturer is null || string.Equals(Manufacturer, manufacturer?.Trim(), StringComparison.OrdinalIgnoreCase))
        && (Model is null || string.Equals(Model, model?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Left, top, width, height in pixels.</summary>
public sealed record PixelRectangle(int Left, int Top, int Width, int Height);

/// <summary>
/// A fully resolved de-identification profile: the Basic Profile plus options, overrides and vocabularies, with
/// everything it extends merged in. <see cref="Version"/> is the SHA-256 of its canonical content.
/// </summary>
public sealed record DeidProfile
{
    public required string Name { get; init; }

    /// <summary>SHA-256 (hex) of the canonical content, including everything inherited through <c>extends</c>.</summary>
    public required string Version { get; init; }

    /// <summary>Profile names from the root ancestor to this one.</summary>
    public required IReadOnlyList<string> Lineage { get; init; }

    public required IReadOnlySet<DeidOption> Options { get; init; }

    public required IReadOnlyDictionary<DicomTag, TagOverride> Overrides { get; init; }

    /// <summary>Words that make a descriptor safe to keep under Clean Descriptors (upper case).</summary>
    public required IReadOnlySet<string> SafeVocabulary { get; init; }

    /// <summary>Text that replaces a descriptor that is not entirely safe vocabulary.</summary>
    public required string CleanedPlaceholder { get; init; }

    public required IReadOnlyList<SafePrivateElement> SafePrivate { get; init; }

    public required IReadOnlyList<PixelBlankingRule> PixelBlanking { get; init; }

    /// <summary>How Patient's Name is written: the subject id (default) or a fixed text.</summary>
    public string? PatientNameText { get; init; }

    /// <summary>Canonical content (what <see cref="Version"/> hashes).</summary>
    public required string CanonicalContent { get; init; }

    public bool Has(DeidOption option) => Options.Contains(option);

    public bool IsSafePrivate(ushort group, string? creator, byte offset)
    {
        if (creator is null) return false;
        var c = creator.Trim();
        foreach (var s in SafePrivate)
            if (s.Group == group && s.ElementOffset == offset && string.Equals(s.Creator, c, StringComparison.Ordinal)) return true;
        return false;
    }
}
