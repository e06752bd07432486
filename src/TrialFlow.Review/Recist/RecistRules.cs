namespace TrialFlow.Review.Recist;

/// <summary>
/// The thresholds of RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228–247), in one place so that a charter
/// that reads them differently has one file to argue with.
/// </summary>
public static class RecistRules
{
    /// <summary>§3.1.1: a non-nodal lesion is measurable from 10 mm longest diameter (CT slice thickness ≤ 5 mm).</summary>
    public const decimal MeasurableLesionMm = 10m;

    /// <summary>§3.1.1: a lymph node is measurable (and a target) from 15 mm short axis.</summary>
    public const decimal MeasurableNodeShortAxisMm = 15m;

    /// <summary>§3.1.2/§4.3.2: a node below 10 mm short axis is normal — not pathological, compatible with CR.</summary>
    public const decimal NormalNodeShortAxisMm = 10m;

    /// <summary>Appendix I: a lesion present but too small to measure is recorded as 5 mm.</summary>
    public const decimal TooSmallToMeasureMm = 5m;

    /// <summary>§4.1: at most five target lesions, at most two per organ.</summary>
    public const int MaxTargetLesions = 5;

    public const int MaxTargetLesionsPerOrgan = 2;

    /// <summary>§4.3.1: partial response is a decrease of at least 30% of the sum from baseline.</summary>
    public const decimal PartialResponseDecreasePercent = 30m;

    /// <summary>§4.3.1: progression is an increase of at least 20% over the nadir...</summary>
    public const decimal ProgressionIncreasePercent = 20m;

    /// <summary>... that is also at least 5 mm in absolute terms.</summary>
    public const decimal ProgressionAbsoluteIncreaseMm = 5m;
}
