using TrialFlow.Review.Recist;

namespace TrialFlow.Review.Tests.Recist;

/// <summary>RECIST 1.1 (Eisenhauer 2009) as published, including its worked examples and the NE rows.</summary>
public sealed class RecistCalculatorTests
{
    private static readonly DateOnly Day0 = new(2026, 1, 5);

    private static TimepointAssessment At(int day, IReadOnlyList<TargetLesion> targets, IReadOnlyList<NonTargetLesion>? nonTargets = null, NewLesionStatus newLesions = NewLesionStatus.None) =>
        new(Day0.AddDays(day), targets, nonTargets ?? [], newLesions);

    private static TargetLesion[] Liver(params decimal[] diameters) =>
        diameters.Select((d, i) => TargetLesion.Measured($"T{i + 1}", i < 2 ? "Liver" : $"Lung{i}", d)).ToArray();

    private static TimepointResponse Last(params TimepointAssessment[] timepoints) => RecistCalculator.Evaluate(timepoints).FollowUps[^1];

    [Fact]
    public void A_decrease_of_exactly_30_percent_from_baseline_is_a_partial_response()
    {
        var r = Last(At(0, Liver(60, 40)), At(42, Liver(42, 28)));
        Assert.Equal((70m, Response.PR, -30.0m), (r.SumOfDiametersMm!.Value, r.TargetResponse, r.ChangeFromBaselinePercent!.Value));
    }

    [Fact]
    public void A_decrease_just_under_30_percent_is_stable_disease()
    {
        Assert.Equal(Response.SD, Last(At(0, Liver(60, 40)), At(42, Liver(42, 28.1m))).TargetResponse);
    }

    [Fact]
    public void Twenty_percent_over_the_nadir_but_less_than_5_mm_is_not_progression()
    {
        // Baseline 20 mm, nadir 10 mm, now 12 mm: +20% but only +2 mm (§4.3.1 requires both).
        var r = Last(At(0, Liver(20)), At(42, Liver(10)), At(84, Liver(12)));
        Assert.Equal((10m, Response.PR), (r.NadirMm!.Value, r.TargetResponse));
    }

    [Fact]
    public void Progression_is_measured_from_the_nadir_even_while_still_below_baseline()
    {
        // Baseline 100, nadir 60 (PR), now 72: +20% and +12 mm over the nadir, still 28% below baseline.
        var r = Last(At(0, Liver(50, 50)), At(42, Liver(30, 30)), At(84, Liver(36, 36)));
        Assert.Equal((Response.PD, Response.PD, 60m, 20.0m), (r.TargetResponse, r.OverallResponse, r.NadirMm!.Value, r.ChangeFromNadirPercent!.Value));
    }

    [Fact]
    public void The_nadir_includes_the_baseline_when_no_later_sum_was_smaller()
    {
        // Baseline 50, then 55 (SD), then 61: 22% and 11 mm over the baseline, the smallest sum so far.
        var r = Last(At(0, Liver(50)), At(42, Liver(55)), At(84, Liver(61)));
        Assert.Equal((50m, Response.PD), (r.NadirMm!.Value, r.TargetResponse));
    }

    [Fact]
    public void Complete_response_allows_lymph_nodes_below_10_mm_so_the_sum_need_not_be_zero()
    {
        var baseline = At(0, [TargetLesion.Measured("T1", "Liver", 30), TargetLesion.Measured("T2", "Lymph node", 18, isLymphNode: true)]);
        var followUp = At(84, [new TargetLesion("T1", "Liver", false, TargetLesionStatus.Disappeared), TargetLesion.Measured("T2", "Lymph node", 8, isLymphNode: true)]);
        var r = Last(baseline, followUp);
        Assert.Equal((8m, Response.CR, Response.CR), (r.SumOfDiametersMm!.Value, r.TargetResponse, r.OverallResponse));
    }

    [Fact]
    public void A_lymph_node_of_10_mm_short_axis_is_still_pathological_and_prevents_complete_response()
    {
        var baseline = At(0, [TargetLesion.Measured("T1", "Liver", 30), TargetLesion.Measured("T2", "Lymph node", 18, isLymphNode: true)]);
        var followUp = At(84, [new TargetLesion("T1", "Liver", false, TargetLesionStatus.Disappeared), TargetLesion.Measured("T2", "Lymph node", 10, isLymphNode: true)]);
        Assert.Equal(Response.PR, Last(baseline, followUp).TargetResponse);
    }

    [Fact]
    public void A_lesion_too_small_to_measure_counts_as_5_mm_and_is_no_complete_response()
    {
        var r = Last(At(0, Liver(20)), At(42, [new TargetLesion("T1", "Liver", false, TargetLesionStatus.TooSmallToMeasure)]));
        Assert.Equal((5m, Response.PR), (r.SumOfDiametersMm!.Value, r.TargetResponse));
    }

    [Fact]
    public void A_target_lesion_not_assessed_makes_the_target_response_not_evaluable()
    {
        var r = Last(At(0, Liver(30, 20, 10)), At(42, [TargetLesion.Measured("T1", "Liver", 30), TargetLesion.Measured("T2", "Liver", 20), new("T3", "Lung2", false, TargetLesionStatus.NotEvaluable)]));
        Assert.Equal((Response.NE, Response.NE), (r.TargetResponse, r.OverallResponse));
    }

    [Fact]
    public void A_lesion_missing_from_the_follow_up_is_not_evaluated()
    {
        Assert.Equal(Response.NE, Last(At(0, Liver(30, 20)), At(42, [TargetLesion.Measured("T1", "Liver", 10)])).TargetResponse);
    }

    [Fact]
    public void The_measured_lesions_alone_can_show_progression_when_one_is_missing()
    {
        // §4.3.3 example: baseline 50 mm over three lesions; at follow-up two lesions give 80 mm: PD whatever the third.
        var r = Last(At(0, Liver(20, 20, 10)), At(42, [TargetLesion.Measured("T1", "Liver", 40), TargetLesion.Measured("T2", "Liver", 40), new("T3", "Lung2", false, TargetLesionStatus.NotEvaluable)]));
        Assert.Equal(Response.PD, r.TargetResponse);
    }

    [Fact]
    public void A_not_evaluable_timepoint_does_not_become_the_nadir()
    {
        // The NE timepoint's partial sum (10) is not a nadir; 24 is compared with the nadir of 20.
        var r = Last(At(0, Liver(20, 10)),
            At(42, [TargetLesion.Measured("T1", "Liver", 10), TargetLesion.Measured("T2", "Liver", 10)]),
            At(84, [TargetLesion.Measured("T1", "Liver", 10), new("T2", "Liver", false, TargetLesionStatus.NotEvaluable)]),
            At(126, [TargetLesion.Measured("T1", "Liver", 12), TargetLesion.Measured("T2", "Liver", 12)]));
        Assert.Equal((20m, Response.SD), (r.NadirMm!.Value, r.TargetResponse));
    }

    [Fact]
    public void An_unequivocal_new_lesion_is_progression_whatever_the_target_lesions_do()
    {
        var r = Last(At(0, Liver(40)), At(42, Liver(10), newLesions: NewLesionStatus.Unequivocal));
        Assert.Equal((Response.PR, Response.PD), (r.TargetResponse, r.OverallResponse));
    }

    [Fact]
    public void An_equivocal_new_lesion_is_not_yet_progression_and_when_confirmed_progression_dates_from_its_first_sighting()
    {
        var evaluation = RecistCalculator.Evaluate([At(0, Liver(40)), At(42, Liver(30), newLesions: NewLesionStatus.Equivocal), At(84, Liver(30), newLesions: NewLesionStatus.Unequivocal)]);
        Assert.Equal(Response.SD, evaluation.FollowUps[0].OverallResponse);
        Assert.Equal(Response.PD, evaluation.FollowUps[1].OverallResponse);
        Assert.Equal(Day0.AddDays(42), evaluation.DateOfProgression);
    }

    [Fact]
    public void A_target_lesion_reappearing_after_complete_response_is_progression()
    {
        var gone = new TargetLesion("T1", "Liver", false, TargetLesionStatus.Disappeared);
        var r = Last(At(0, Liver(20)), At(42, [gone]), At(84, [new TargetLesion("T1", "Liver", false, TargetLesionStatus.TooSmallToMeasure)]));
        Assert.Equal(Response.PD, r.TargetResponse);
    }

    [Theory]
    // Table 1: target, non-target, new lesion → overall.
    [InlineData(Response.CR, Response.CR, false, Response.CR)]
    [InlineData(Response.CR, Response.NotApplicable, false, Response.CR)]
    [InlineData(Response.CR, Response.NonCrNonPd, false, Response.PR)]
    [InlineData(Response.CR, Response.NE, false, Response.PR)]
    [InlineData(Response.PR, Response.NonCrNonPd, false, Response.PR)]
    [InlineData(Response.PR, Response.NE, false, Response.PR)]
    [InlineData(Response.SD, Response.NonCrNonPd, false, Response.SD)]
    [InlineData(Response.SD, Response.NE, false, Response.SD)]
    [InlineData(Response.NE, Response.NonCrNonPd, false, Response.NE)]
    [InlineData(Response.NE, Response.NE, false, Response.NE)]
    [InlineData(Response.PD, Response.CR, false, Response.PD)]
    [InlineData(Response.CR, Response.PD, false, Response.PD)]
    [InlineData(Response.CR, Response.CR, true, Response.PD)]
    [InlineData(Response.NE, Response.NE, true, Response.PD)]
    public void Table_1_combines_target_non_target_and_new_lesions(Response target, Response nonTarget, bool newLesion, Response overall)
    {
        Assert.Equal(overall, OverallResponseTable.Combine(hasTargetDisease: true, target, nonTarget, newLesion));
    }

    [Theory]
    // Table 2: non-target disease only.
    [InlineData(Response.CR, false, Response.CR)]
    [InlineData(Response.NonCrNonPd, false, Response.NonCrNonPd)]
    [InlineData(Response.NE, false, Response.NE)]
    [InlineData(Response.PD, false, Response.PD)]
    [InlineData(Response.NonCrNonPd, true, Response.PD)]
    public void Table_2_applies_when_there_was_no_target_disease(Response nonTarget, bool newLesion, Response overall)
    {
        Assert.Equal(overall, OverallResponseTable.Combine(hasTargetDisease: false, Response.NotApplicable, nonTarget, newLesion));
    }

    [Fact]
    public void Non_target_lesions_decide_complete_response_persistence_and_progression()
    {
        NonTargetLesion Nt(string id, NonTargetLesionStatus s) => new(id, "Bone", false, s);
        var baseline = At(0, Liver(30), [Nt("NT1", NonTargetLesionStatus.Present), Nt("NT2", NonTargetLesionStatus.Present)]);
        var gone = new TargetLesion("T1", "Liver", false, TargetLesionStatus.Disappeared);
        Assert.Equal(Response.CR, Last(baseline, At(42, [gone], [Nt("NT1", NonTargetLesionStatus.Absent), Nt("NT2", NonTargetLesionStatus.Absent)])).OverallResponse);
        Assert.Equal(Response.PR, Last(baseline, At(42, [gone], [Nt("NT1", NonTargetLesionStatus.Absent), Nt("NT2", NonTargetLesionStatus.Present)])).OverallResponse);
        Assert.Equal(Response.PR, Last(baseline, At(42, [gone], [Nt("NT1", NonTargetLesionStatus.Absent)])).OverallResponse);
        Assert.Equal(Response.PD, Last(baseline, At(42, [gone], [Nt("NT1", NonTargetLesionStatus.UnequivocalProgression), Nt("NT2", NonTargetLesionStatus.Present)])).OverallResponse);
    }

    [Fact]
    public void Best_overall_response_counts_stable_disease_only_after_the_minimum_interval()
    {
        var early = RecistCalculator.Evaluate([At(0, Liver(40)), At(28, Liver(38)), At(70, Liver(60))]);
        Assert.Equal((Response.PD, Day0.AddDays(70)), (early.BestOverallResponse, early.DateOfProgression));

        var late = RecistCalculator.Evaluate([At(0, Liver(40)), At(42, Liver(38)), At(84, Liver(20)), At(126, Liver(30))]);
        Assert.Equal((Response.PR, Day0.AddDays(126)), (late.BestOverallResponse, late.DateOfProgression));
    }

    [Fact]
    public void The_baseline_must_follow_the_selection_rules_and_says_which_lesion_breaks_them()
    {
        var baseline = At(0,
        [
            TargetLesion.Measured("T1", "Liver", 20), TargetLesion.Measured("T2", "Liver", 15), TargetLesion.Measured("T3", "Liver", 12),
            TargetLesion.Measured("T4", "Lung", 9), TargetLesion.Measured("T5", "Lymph node", 12, isLymphNode: true),
            TargetLesion.Measured("T6", "Lymph node", 15, isLymphNode: true),
        ]);
        var e = Assert.Throws<RecistBaselineException>(() => RecistCalculator.Evaluate([baseline]));
        Assert.Equal(["target lesions", "organ Liver", "lesion T4", "lesion T5"], e.Problems.Select(p => p.Where));
        Assert.Contains("non-target", e.Problems.Single(p => p.Where == "lesion T5").Message);
    }
}
