namespace TrialFlow.Edc.Sdtm;

/// <summary>Who made an assessment, as SDTM's --EVALID names them.</summary>
public enum Assessor
{
    Radiologist1,
    Radiologist2,
    Adjudicator,
}

/// <summary>A lesion's role in RECIST 1.1.</summary>
public enum LesionRole
{
    Target,
    NonTarget,
    New,
}

/// <summary>
/// The results of one subject, as the SDTM writer consumes them: one entry per timepoint and assessor, plus each
/// assessor's best overall response. A source yields subjects one at a time, so the writer never holds more than one.
/// </summary>
/// <param name="SubjectKey">The registry's subject identifier (shared with the EDC); USUBJID is built from it.</param>
public sealed record SdtmSubjectResults(string SubjectKey, IReadOnlyList<SdtmAssessment> Assessments, IReadOnlyList<SdtmBestResponse> BestResponses);

/// <summary>One assessor's assessment of one timepoint.</summary>
/// <param name="ScanDate">The date the images were acquired (TRDTC/RSDTC), never the date of the read; null when not known (left empty).</param>
/// <param name="Accepted">This assessment is the one the trial accepted (after adjudication, or the agreeing reads).</param>
public sealed record SdtmAssessment(
    string VisitKey,
    string VisitName,
    int VisitNumber,
    DateOnly? ScanDate,
    Assessor Assessor,
    bool Accepted,
    IReadOnlyList<SdtmLesion> Lesions,
    SdtmTimepointResponse Response);

/// <summary>A lesion as assessed at one timepoint.</summary>
/// <param name="LesionId">Stable across timepoints for one assessor, e.g. "T01", "NT02", "NEW01".</param>
/// <param name="DiameterMm">Target lesions: longest diameter (short axis for nodes) in mm; null when not measurable.</param>
/// <param name="State">Non-target and new lesions: PRESENT, ABSENT, UNEQUIVOCAL PROGRESSION.</param>
public sealed record SdtmLesion(string LesionId, LesionRole Role, string Location, string Method, decimal? DiameterMm, string? State);

/// <summary>The RECIST 1.1 responses of one assessment (CR, PR, SD, PD, NE, NON-CR/NON-PD...); null where not assessed (baseline has none).</summary>
public sealed record SdtmTimepointResponse(decimal? SumOfDiametersMm, string? TargetResponse, string? NonTargetResponse, bool? NewLesionProgression, string? OverallResponse);

/// <summary>One assessor's best overall response for the subject.</summary>
public sealed record SdtmBestResponse(Assessor Assessor, bool Accepted, string BestResponse);

/// <summary>
/// Where SDTM results come from: the read tables of central review, subject by subject in subject key order.
/// Implementations stream (one query page at a time); the writer consumes one subject at a time.
/// </summary>
public interface ISdtmResultsSource
{
    IAsyncEnumerable<SdtmSubjectResults> SubjectsAsync(Guid trialId, CancellationToken cancellationToken);
}
