namespace TrialFlow.Dicom;

/// <summary>One row of the PS3.6 data dictionary.</summary>
/// <param name="Tag">The tag; for repeating groups the first of the range (e.g. (6000,3000)).</param>
/// <param name="Mask">Bits of <paramref name="Tag"/> that must match; 0xFFFFFFFF except for repeating groups.</param>
/// <param name="ValueRepresentations">Allowed VRs; more than one for e.g. "US or SS" (resolved by context, PS3.5 A.1 c).</param>
public sealed record DicomDictionaryEntry(
    DicomTag Tag, uint Mask, string Keyword, string Name, IReadOnlyList<DicomVR> ValueRepresentations,
    string ValueMultiplicity, bool IsRetired)
{
    /// <summary>The first allowed VR, or UN when the dictionary gives none.</summary>
    public DicomVR ValueRepresentation => ValueRepresentations.Count > 0 ? ValueRepresentations[0] : DicomVR.UN;

    /// <summary>True when the VR depends on context ("US or SS", "OB or OW" ...).</summary>
    public bool IsAmbiguous => ValueRepresentations.Count > 1;
}
