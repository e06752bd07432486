namespace TrialFlow.Deid.Profiles;

/// <summary>The option columns of PS3.15 Table E.1-1 (E.3.1-E.3.11), plus Clean Pixel Data (E.3.4, no column).</summary>
public enum DeidOption
{
    RetainSafePrivate,
    RetainUids,
    RetainDeviceIdentity,
    RetainInstitutionIdentity,
    RetainPatientCharacteristics,
    RetainLongitudinalFullDates,
    RetainLongitudinalModifiedDates,
    CleanDescriptors,
    CleanStructuredContent,
    CleanGraphics,
}

/// <summary>YAML names and CID 7050 codes of the options.</summary>
public static class DeidOptions
{
    /// <summary>The option's key in profile YAML (camel case of its name).</summary>
    public static string YamlName(this DeidOption option) => option switch
    {
        DeidOption.RetainUids => "retainUids",
        _ => char.ToLowerInvariant(option.ToString()[0]) + option.ToString()[1..],
    };

    public static bool TryParse(string yamlName, out DeidOption option)
    {
        foreach (var o in Enum.GetValues<DeidOption>())
        {
            if (o.YamlName() == yamlName)
            {
                option = o;
                return true;
            }
        }
        option = default;
        return false;
    }

    /// <summary>PS3.16 CID 7050 De-identification Method: (code value, meaning) under DCM.</summary>
    public static (string Code, string Meaning) Cid7050(this DeidOption option) => option switch
    {
        DeidOption.RetainSafePrivate => ("113111", "Retain Safe Private Option"),
        DeidOption.RetainUids => ("113110", "Retain UIDs Option"),
        DeidOption.RetainDeviceIdentity => ("113109", "Retain Device Identity Option"),
        DeidOption.RetainInstitutionIdentity => ("113112", "Retain Institution Identity Option"),
        DeidOption.RetainPatientCharacteristics => ("113108", "Retain Patient Characteristics Option"),
        DeidOption.RetainLongitudinalFullDates => ("113106", "Retain Longitudinal Temporal Information Full Dates Option"),
        DeidOption.RetainLongitudinalModifiedDates => ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
        DeidOption.CleanDescriptors => ("113105", "Clean Descriptors Option"),
        DeidOption.CleanStructuredContent => ("113104", "Clean Structured Content Option"),
        DeidOption.CleanGraphics => ("113103", "Clean Graphics Option"),
        _ => throw new ArgumentOutOfRangeException(nameof(option)),
    };

    public static (string Code, string Meaning) BasicProfile => ("113100", "Basic Application Confidentiality Profile");

    public static (string Code, string Meaning) CleanPixelData => ("113101", "Clean Pixel Data Option");
}
