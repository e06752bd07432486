using TrialFlow.Dicom;

namespace TrialFlow.Qc.Protocols;

/// <summary>
/// A trial's acquisition protocol as checkable data (<c>templates/protocols/*.yaml</c>): requirements per modality and
/// visit, and the scanners qualified at each site. Rules read it as Protocol, RequiredSeries and Site facts.
/// </summary>
public sealed record ProtocolRequirements(string Name, string TrialProtocolId, string? Description, string Sha256,
    IReadOnlyList<AcquisitionRequirement> Requirements, IReadOnlyDictionary<string, IReadOnlyList<string>> QualifiedScanners)
{
    /// <summary>The requirements that apply at a visit (those listing no visits apply at every visit).</summary>
    public IEnumerable<AcquisitionRequirement> At(string? visitKey) =>
        Requirements.Where(r => r.Visits.Count == 0 || (visitKey is not null && r.Visits.Contains(visitKey, StringComparer.OrdinalIgnoreCase)));

    public IReadOnlyList<string> ScannersOf(string siteNumber) => QualifiedScanners.GetValueOrDefault(siteNumber) ?? [];
}

public sealed record Range(double? Min, double? Max);

public sealed record RequiredSeries(string Name, string Modality, string Description, int MinImages);

/// <summary>What one modality must look like at the listed visits.</summary>
public sealed record AcquisitionRequirement(
    string Id,
    IReadOnlyList<string> Visits,
    string Modality,
    Range SliceThickness,
    Range Kvp,
    Range PixelSpacing,
    int? MatrixMin,
    IReadOnlyList<string> BodyParts,
    double? CoverageMinMm,
    bool ContrastRequired,
    string ContrastSeries,
    Range ContrastDelaySeconds,
    IReadOnlyList<RequiredSeries> RequiredSeries,
    IReadOnlyList<DicomTag> MandatoryAttributes);
