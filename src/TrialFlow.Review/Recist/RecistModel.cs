namespace TrialFlow.Review.Recist;

/// <summary>How a target lesion was recorded at a timepoint (RECIST 1.1 §4.3.2 and appendix I).</summary>
public enum TargetLesionStatus
{
    /// <summary>A diameter was measured: the longest for a non-nodal lesion, the short axis for a lymph node.</summary>
    Measured,

    /// <summary>Present but too small to measure reliably: counts as <see cref="RecistRules.TooSmallToMeasureMm"/>.</summary>
    TooSmallToMeasure,

    /// <summary>No longer seen: counts as 0 mm.</summary>
    Disappeared,

    /// <summary>Not assessed or not evaluable at this timepoint.</summary>
    NotEvaluable,
}

/// <summary>How a non-target lesion (or group of lesions) was judged at a timepoint.</summary>
public enum NonTargetLesionStatus
{
    Present,

    /// <summary>Disappeared; for a lymph node, back to normal size (short axis &lt; 10 mm).</summary>
    Absent,

    /// <summary>Unequivocal progression of the existing lesion.</summary>
    UnequivocalProgression,

    NotEvaluable,
}

public enum NewLesionStatus
{
    None,

    /// <summary>Possibly new: not progression yet; if a later timepoint confirms it, progression dates from its first sighting.</summary>
    Equivocal,

    Unequivocal,
}

/// <summary>Responses of RECIST 1.1 tables 1 and 2, for target, non-target and overall assessments.</summary>
public enum Response
{
    CR,
    PR,
    SD,

    /// <summary>Non-CR/non-PD: non-target lesions persist without progression (also overall, when there is no target disease).</summary>
    NonCrNonPd,

    PD,
    NE,

    /// <summary>No lesions of this kind at baseline (e.g. no non-target disease).</summary>
    NotApplicable,
}

/// <param name="Id">The reader's label for the lesion ("T1"), stable across timepoints.</param>
/// <param name="Organ">The organ, for the at-most-two-per-organ rule.</param>
/// <param name="IsLymphNode">Nodes are measured by short axis and are normal below 10 mm.</param>
/// <param name="DiameterMm">The measured diameter when <paramref name="Status"/> is <see cref="TargetLesionStatus.Measured"/>.</param>
public sealed record TargetLesion(string Id, string Organ, bool IsLymphNode, TargetLesionStatus Status, decimal? DiameterMm = null)
{
    public static TargetLesion Measured(string id, string organ, decimal diameterMm, bool isLymphNode = false) =>
        new(id, organ, isLymphNode, TargetLesionStatus.Measured, diameterMm);

    /// <summary>The diameter that enters the sum, or null when not evaluable.</summary>
    public decimal? DiameterForSum => Status switch
    {
        TargetLesionStatus.Measured => DiameterMm,
        TargetLesionStatus.TooSmallToMeasure => RecistRules.TooSmallToMeasureMm,
        TargetLesionStatus.Disappeared => 0m,
        _ => null,
    };
}

public sealed record NonTargetLesion(string Id, string Organ, bool IsLymphNode, NonTargetLesionStatus Status);

/// <summary>One timepoint as a reader recorded it. The first timepoint of a series is the baseline.</summary>
public sealed record TimepointAssessment(
    DateOnly Date,
    IReadOnlyList<TargetLesion> TargetLesions,
    IReadOnlyList<NonTargetLesion> NonTargetLesions,
    NewLesionStatus NewLesions = NewLesionStatus.None);

/// <summary>What RECIST 1.1 makes of one timepoint.</summary>
/// <param name="SumOfDiametersMm">Sum over the evaluable target lesions (all of them when the target response is not NE).</param>
/// <param name="NadirMm">The smallest sum before this timepoint, baseline included; null at baseline.</param>
public sealed record TimepointResponse(
    DateOnly Date,
    decimal? SumOfDiametersMm,
    decimal? NadirMm,
    decimal? ChangeFromBaselinePercent,
    decimal? ChangeFromNadirPercent,
    Response TargetResponse,
    Response NonTargetResponse,
    bool NewLesion,
    Response OverallResponse);

/// <summary>The responses of every follow-up timepoint, the best overall response and the date of progression.</summary>
public sealed record RecistEvaluation(
    decimal BaselineSumMm,
    IReadOnlyList<TimepointResponse> FollowUps,
    Response BestOverallResponse,
    DateOnly? DateOfProgression);
