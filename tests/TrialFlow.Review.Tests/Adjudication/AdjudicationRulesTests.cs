using TrialFlow.Review.Adjudication;

namespace TrialFlow.Review.Tests.Adjudication;

public sealed class AdjudicationRulesTests
{
    private static readonly AdjudicationVariable[] Overall = [AdjudicationVariable.OverallResponse];

    [Fact]
    public void Three_readers_with_one_dissent_need_adjudication_and_the_difference_lists_every_reads_value_in_slot_order()
    {
        var comparison = AdjudicationRules.CompareAll([new("PR", null, "PR"), new("PR", null, "PR"), new("SD", null, "SD")], Overall);

        Assert.True(comparison.NeedsAdjudication);
        Assert.Equal(["OverallResponse: PR vs PR vs SD"], comparison.Differences);
    }

    [Fact]
    public void Three_readers_agreeing_on_the_charters_variables_need_none_whatever_else_differs()
    {
        var reads = new ReadConclusion[] { new("PD", "2026-04-13", "SD"), new("PD", "2026-04-13", "PR"), new("PD", "2026-04-13", "SD") };

        Assert.False(AdjudicationRules.CompareAll(reads, [AdjudicationVariable.OverallResponse, AdjudicationVariable.DateOfProgression]).NeedsAdjudication);
        Assert.Equal(["BestOverallResponse: SD vs PR vs SD"], AdjudicationRules.CompareAll(reads, [AdjudicationVariable.BestOverallResponse]).Differences);
    }

    [Fact]
    public void A_missing_date_of_progression_against_a_date_is_a_difference_shown_as_none()
    {
        var comparison = AdjudicationRules.CompareAll([new("PD", "2026-04-13", "SD"), new("SD", null, "SD"), new("PD", "2026-04-13", "SD")],
            [AdjudicationVariable.DateOfProgression, AdjudicationVariable.OverallResponse]);

        Assert.Equal(["OverallResponse: PD vs SD vs PD", "DateOfProgression: 2026-04-13 vs none vs 2026-04-13"], comparison.Differences);
    }

    [Fact]
    public void Two_reads_compare_as_before_and_one_read_is_not_a_comparison()
    {
        Assert.Equal(["OverallResponse: PR vs SD"], AdjudicationRules.Compare(new("PR", null, null), new("SD", null, null), Overall).Differences);
        Assert.Throws<ArgumentException>(() => AdjudicationRules.CompareAll([new("PR", null, null)], Overall));
    }
}
