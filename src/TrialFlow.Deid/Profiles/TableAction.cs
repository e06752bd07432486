namespace TrialFlow.Deid.Profiles;

/// <summary>Action codes of PS3.15 Table E.1-1 (E.3 for the combined codes). <see cref="None"/> = no entry in the column.</summary>
public enum TableAction : byte
{
    None,
    /// <summary>Replace with a non-zero-length dummy value consistent with the VR.</summary>
    D,
    /// <summary>Replace with a zero-length value (or a dummy).</summary>
    Z,
    /// <summary>Remove.</summary>
    X,
    /// <summary>Keep (sequences are cleaned recursively).</summary>
    K,
    /// <summary>Clean: replace with values of similar meaning known not to identify.</summary>
    C,
    /// <summary>Replace a UID with one that is consistent within the set of instances.</summary>
    U,
    /// <summary>Z/D: Z unless D is required by the IOD.</summary>
    ZD,
    /// <summary>X/Z: X unless Z is required.</summary>
    XZ,
    /// <summary>X/D: X unless D is required.</summary>
    XD,
    /// <summary>X/Z/D: X unless Z or D is required.</summary>
    XZD,
    /// <summary>X/Z/U*: X unless Z or replacement of contained instance UIDs (U) is required.</summary>
    XZU,
}

/// <summary>One row of Table E.1-1: the Basic Profile action and the action of every option column.</summary>
public sealed record ConfidentialityProfileRow(
    uint Tag, uint Mask, string Name, bool Retired, bool InStandardIod, TableAction Basic,
    TableAction RetainSafePrivate, TableAction RetainUids, TableAction RetainDeviceIdentity, TableAction RetainInstitutionIdentity,
    TableAction RetainPatientCharacteristics, TableAction RetainLongitudinalFullDates, TableAction RetainLongitudinalModifiedDates,
    TableAction CleanDescriptors, TableAction CleanStructuredContent, TableAction CleanGraphics)
{
    /// <summary>The action of an option column.</summary>
    public TableAction For(DeidOption option) => option switch
    {
        DeidOption.RetainSafePrivate => RetainSafePrivate,
        DeidOption.RetainUids => RetainUids,
        DeidOption.RetainDeviceIdentity => RetainDeviceIdentity,
        DeidOption.RetainInstitutionIdentity => RetainInstitutionIdentity,
        DeidOption.RetainPatientCharacteristics => RetainPatientCharacteristics,
        DeidOption.RetainLongitudinalFullDates => RetainLongitudinalFullDates,
        DeidOption.RetainLongitudinalModifiedDates => RetainLongitudinalModifiedDates,
        DeidOption.CleanDescriptors => CleanDescriptors,
        DeidOption.CleanStructuredContent => CleanStructuredContent,
        DeidOption.CleanGraphics => CleanGraphics,
        _ => TableAction.None,
    };

    public bool IsPrivateRow => Mask == 0x00010000u;
}
