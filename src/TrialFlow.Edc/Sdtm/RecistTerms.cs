using System.Globalization;
using TrialFlow.Review.Forms;
using TrialFlow.Review.Recist;

namespace TrialFlow.Edc.Sdtm;

/// <summary>
/// The RECIST form's values in CDISC's words (Oncology Response Assessment Result codelist, TU/TR conventions), and the
/// lesions of one read as the SDTM writer takes them. Pure: the form's content in, records out.
/// </summary>
public static class RecistTerms
{
    /// <summary>
    /// A response as the form computes it ("PR", "NonCrNonPd"...) in CDISC terms; null for "NotApplicable" (no lesions of
    /// that kind at baseline: nothing was assessed, so no record is written) and for no value.
    /// </summary>
    public static string? Response(string? computed) => computed switch
    {
        null or "" => null,
        nameof(Review.Recist.Response.NotApplicable) => null,
        nameof(Review.Recist.Response.NonCrNonPd) => "NON-CR/NON-PD",
        _ => computed.ToUpperInvariant(),
    };

    /// <summary>TUMETHOD/TRMETHOD from the study's modalities (DICOM codes, backslash-separated): the first one named.</summary>
    public static string Method(string modalities)
    {
        var first = modalities.Split('\\', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return first switch
        {
            "CT" => "CT SCAN",
            "MR" => "MRI",
            "PT" => "PET SCAN",
            "CR" or "DX" => "X-RAY",
            "US" => "ULTRASOUND",
            "" => "",
            _ => first,
        };
    }

    /// <summary>
    /// The lesions of one read (templates/forms/recist-1.1.json): target lesions with the diameter RECIST records
    /// (measured; 5 mm when too small to measure; 0 when disappeared; none when not evaluable), non-target lesions with
    /// their state, new lesions with their certainty.
    /// </summary>
    public static IReadOnlyList<SdtmLesion> Lesions(FormData form, string method)
    {
        var lesions = new List<SdtmLesion>();
        foreach (var row in form.Rows("targetLesions"))
            lesions.Add(new SdtmLesion(Value(row, "lesionId") ?? "", LesionRole.Target, Location(row), method, TargetDiameter(row), null));
        foreach (var row in form.Rows("nonTargetLesions"))
            lesions.Add(new SdtmLesion(Value(row, "lesionId") ?? "", LesionRole.NonTarget, Location(row), method, null, Value(row, "status") switch
            {
                nameof(NonTargetLesionStatus.Present) => "PRESENT",
                nameof(NonTargetLesionStatus.Absent) => "ABSENT",
                nameof(NonTargetLesionStatus.UnequivocalProgression) => "UNEQUIVOCAL PROGRESSION",
                _ => null, // not evaluable: TRSTAT NOT DONE
            }));
        foreach (var row in form.Rows("newLesions"))
            lesions.Add(new SdtmLesion(Value(row, "lesionId") ?? "", LesionRole.New, Location(row), method, null,
                Value(row, "certainty") == "Unequivocal" ? "UNEQUIVOCAL" : "EQUIVOCAL"));
        return lesions;
    }

    private static decimal? TargetDiameter(IReadOnlyDictionary<string, string?> row) => Value(row, "status") switch
    {
        nameof(TargetLesionStatus.Measured) => decimal.TryParse(Value(row, "diameterMm"), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null,
        // RECIST 1.1 appendix I: what the reader records for these, and what enters the sum.
        nameof(TargetLesionStatus.TooSmallToMeasure) => RecistRules.TooSmallToMeasureMm,
        nameof(TargetLesionStatus.Disappeared) => 0m,
        _ => null,
    };

    private static string Location(IReadOnlyDictionary<string, string?> row) => (Value(row, "organ") ?? "").ToUpperInvariant();

    private static string? Value(IReadOnlyDictionary<string, string?> row, string key) =>
        row.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}
