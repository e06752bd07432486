using TrialFlow.Core.Trials;

namespace TrialFlow.Intake.Pipeline;

/// <summary>The visit a study belongs to, or why none fits.</summary>
public sealed record VisitMatch(VisitDefinition? Definition, Visit? Existing, string? Problem)
{
    public bool IsMatched => Definition is not null;
}

/// <summary>
/// Places a study in the visit schedule by its date. Windows count from the subject's baseline (the visit with
/// nominal day 0); a subject without a recorded baseline gets this study as baseline when it falls in the
/// baseline window, counted back from today's scan. A date in no window, or in two, is not guessed.
/// </summary>
public static class VisitMatcher
{
    public static VisitMatch Match(IReadOnlyList<VisitDefinition> schedule, IReadOnlyList<Visit> subjectVisits, DateOnly? studyDate)
    {
        if (studyDate is not { } date)
            return new VisitMatch(null, null, "the study has no Study Date (0008,0020), so its visit cannot be determined; upload it with an explicit visit");

        var baselineDefinition = schedule.Where(v => v.NominalDay == 0).OrderBy(v => v.Order).FirstOrDefault()
            ?? throw new InvalidOperationException("the visit schedule has no baseline visit (nominal day 0)");
        var baseline = subjectVisits.FirstOrDefault(v => v.VisitDefinitionId == baselineDefinition.Id)?.VisitDate;
        if (baseline is null)
            return new VisitMatch(baselineDefinition, subjectVisits.FirstOrDefault(v => v.VisitDefinitionId == baselineDefinition.Id), null);

        var candidates = schedule.Where(v => v.IsWithinWindow(baseline.Value, date)).ToList();
        var studyDay = date.DayNumber - baseline.Value.DayNumber;
        return candidates.Count switch
        {
            1 => new VisitMatch(candidates[0], subjectVisits.FirstOrDefault(v => v.VisitDefinitionId == candidates[0].Id), null),
            0 => new VisitMatch(null, null, $"study day {studyDay} (scan {date:yyyy-MM-dd}, baseline {baseline:yyyy-MM-dd}) is outside every visit window"),
            _ => new VisitMatch(null, null, $"study day {studyDay} falls in the windows of {string.Join(" and ", candidates.Select(c => c.VisitKey))}; choose the visit explicitly"),
        };
    }
}
