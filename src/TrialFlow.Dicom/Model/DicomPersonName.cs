namespace TrialFlow.Dicom;

/// <summary>
/// A PN value (PS3.5 6.2.1): up to three component groups (alphabetic, ideographic, phonetic) separated by '=',
/// each with family, given, middle, prefix and suffix components separated by '^'.
/// </summary>
public sealed record DicomPersonName(string Alphabetic, string Ideographic = "", string Phonetic = "")
{
    /// <summary>Parses the text of one PN value.</summary>
    public static DicomPersonName Parse(string value)
    {
        var groups = value.Split('=');
        return new DicomPersonName(groups[0], groups.Length > 1 ? groups[1] : "", groups.Length > 2 ? groups[2] : "");
    }

    /// <summary>The component groups as they appear in the value (trailing empty groups kept if present).</summary>
    public IReadOnlyList<string> Groups => Phonetic.Length > 0 ? [Alphabetic, Ideographic, Phonetic]
        : Ideographic.Length > 0 ? [Alphabetic, Ideographic] : [Alphabetic];

    public string FamilyName => Component(Alphabetic, 0);
    public string GivenName => Component(Alphabetic, 1);
    public string MiddleName => Component(Alphabetic, 2);
    public string NamePrefix => Component(Alphabetic, 3);
    public string NameSuffix => Component(Alphabetic, 4);

    /// <summary>Component <paramref name="index"/> (0 family … 4 suffix) of a component group.</summary>
    public static string Component(string group, int index)
    {
        var parts = group.Split('^');
        return index < parts.Length ? parts[index] : "";
    }

    /// <summary>The value as written in DICOM, without trailing empty groups.</summary>
    public override string ToString() => string.Join('=', Groups);
}
