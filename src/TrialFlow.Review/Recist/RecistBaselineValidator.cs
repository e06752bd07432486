namespace TrialFlow.Review.Recist;

/// <summary>A reason a baseline assessment does not follow RECIST 1.1, naming the lesion it concerns.</summary>
public sealed record RecistProblem(string Where, string Message)
{
    public override string ToString() => $"{Where}: {Message}";
}

/// <summary>
/// Checks the choice of target lesions at baseline (§3.1, §4.1): at most five, at most two per organ, each one
/// measurable — 10 mm longest diameter, or 15 mm short axis for a lymph node. A node of 10 to &lt; 15 mm is
/// pathological but not measurable: it belongs with the non-target lesions.
/// </summary>
public static class RecistBaselineValidator
{
    public static IReadOnlyList<RecistProblem> Validate(TimepointAssessment baseline)
    {
        var problems = new List<RecistProblem>();
        var targets = baseline.TargetLesions;
        if (targets.Count > RecistRules.MaxTargetLesions)
            problems.Add(new("target lesions", $"{targets.Count} target lesions; RECIST 1.1 allows at most {RecistRules.MaxTargetLesions}."));
        foreach (var organ in targets.GroupBy(t => t.Organ.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > RecistRules.MaxTargetLesionsPerOrgan))
            problems.Add(new($"organ {organ.Key}", $"{organ.Count()} target lesions ({string.Join(", ", organ.Select(t => t.Id))}); at most {RecistRules.MaxTargetLesionsPerOrgan} per organ."));
        foreach (var duplicate in targets.Concat<object>(baseline.NonTargetLesions).Select(IdOf).GroupBy(id => id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add(new($"lesion {duplicate.Key}", "the same lesion id is used twice; every lesion needs its own id to be followed over time."));

        foreach (var t in targets)
        {
            if (t.Status != TargetLesionStatus.Measured || t.DiameterMm is not { } d)
            {
                problems.Add(new($"lesion {t.Id}", "a target lesion must be measured at baseline."));
                continue;
            }
            if (t.IsLymphNode && d < RecistRules.MeasurableNodeShortAxisMm)
                problems.Add(new($"lesion {t.Id}", d >= RecistRules.NormalNodeShortAxisMm
                    ? $"lymph node short axis {d} mm is pathological but not measurable (< {RecistRules.MeasurableNodeShortAxisMm} mm): record it as a non-target lesion."
                    : $"lymph node short axis {d} mm is normal (< {RecistRules.NormalNodeShortAxisMm} mm): not a lesion."));
            else if (!t.IsLymphNode && d < RecistRules.MeasurableLesionMm)
                problems.Add(new($"lesion {t.Id}", $"longest diameter {d} mm is below {RecistRules.MeasurableLesionMm} mm: not measurable, record it as a non-target lesion."));
        }
        foreach (var n in baseline.NonTargetLesions.Where(n => n.Status != NonTargetLesionStatus.Present))
            problems.Add(new($"lesion {n.Id}", "a non-target lesion recorded at baseline must be present."));
        if (baseline.NewLesions != NewLesionStatus.None)
            problems.Add(new("new lesions", "there are no new lesions at baseline: every lesion seen is a target or non-target lesion."));
        return problems;
    }

    private static string IdOf(object lesion) => lesion switch
    {
        TargetLesion t => t.Id,
        NonTargetLesion n => n.Id,
        _ => "",
    };
}
