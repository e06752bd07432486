using TrialFlow.Dicom;

namespace TrialFlow.Qc.Protocols;

/// <summary>
/// A trial's acquisition protocol as checkable data (<c>templates/protocols/*.yaml</c>): requirements per modality and
/// visit. Rules read it as Protocol and RequiredSeries facts. (Which scanners are qualified at a site is not typed here:
/// qualification scans qualify them, in the database.)
/// </summary>
public sealed record ProtocolRequirements(string Name, string TrialProtocolId, string? Description, string Sha256,
    IReadOnlyList<AcquisitionRequirement> Requirements)
{
    /// <summary>The requirements that apply at a visit (those listing no visits apply at every visit).</summary>
    public IEnumerable<AcquisitionRequirement> At(string? visitKey) =>
        Requirements.Where(r => r.Visits.Count == 0 || (visitKey is not null && r.Visits.Contains(visitKey, StringComparer.OrdinalIgnoreCase)));

    /// <summary>
    /// What a qualification scan of <paramref name="modality"/> is checked against: the modality's requirements at every
    /// visit, less what only a patient can show — contrast, body part, coverage and the series a visit needs. A phantom
    /// shows the scanner's acquisition: slice thickness, kVp, pixel spacing, matrix, the mandatory attributes.
    /// </summary>
    public ProtocolRequirements ForQualification(string modality) => this with
    {
        Requirements = Requirements.Where(r => string.Equals(r.Modality, modality, StringComparison.OrdinalIgnoreCase))
            .Select(r => r with
            {
                Visits = [],
                BodyParts = [],
                CoverageMinMm = null,
                ContrastRequired = false,
                ContrastDelaySeconds = new Range(null, null),
                RequiredSeries = [],
            }).ToList(),
    };
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
