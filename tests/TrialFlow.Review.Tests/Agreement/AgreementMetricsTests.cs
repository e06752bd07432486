using TrialFlow.Review.Adjudication;
using TrialFlow.Review.Agreement;

namespace TrialFlow.Review.Tests.Agreement;

public sealed class AgreementMetricsTests
{
    [Fact]
    public void Rates_per_reader_and_pair_and_whom_the_adjudicator_sided_with()
    {
        var report = AgreementMetrics.Compute([
            new("ann", "bob", "PR", "PR", 40, 42, false, null),
            new("bob", "ann", "SD", "PD", 50, 61, true, "ann"),
            new("ann", "cy", "PD", "SD", 70, 60, true, "ann"),
            new("cy", "bob", "CR", "CR", 0, 0, false, null),
        ]);
        Assert.Equal((4, 2, 0.5), (report.Overall.Count, report.Overall.Adjudicated, report.Overall.Value));
        Assert.Equal((3, 2), (report.PerReader["ann"].Count, report.PerReader["ann"].Adjudicated));
        Assert.Equal((2, 1), (report.PerPair["ann + bob"].Count, report.PerPair["ann + bob"].Adjudicated));
        Assert.Equal((2, 2), (report.AdjudicatorSidedWith["ann"].Adjudications, report.AdjudicatorSidedWith["ann"].Accepted));
        Assert.Equal(0, report.AdjudicatorSidedWith["bob"].Accepted);
    }

    [Fact]
    public void Cohens_kappa_matches_a_hand_computed_table()
    {
        // 10 pairs: 7 agree; marginals A: PR 5, SD 5; B: PR 4, SD 6 → p_o 0.7, p_e 0.5·0.4 + 0.5·0.6 = 0.5, κ = 0.4.
        var ratings = new List<(string, string)>();
        ratings.AddRange(Enumerable.Repeat(("PR", "PR"), 3));
        ratings.AddRange(Enumerable.Repeat(("PR", "SD"), 2));
        ratings.AddRange(Enumerable.Repeat(("SD", "PR"), 1));
        ratings.AddRange(Enumerable.Repeat(("SD", "SD"), 4));
        Assert.Equal(0.4, AgreementMetrics.CohensKappa(ratings)!.Value, 10);
        Assert.Null(AgreementMetrics.CohensKappa([]));
    }

    [Fact]
    public void Bland_Altman_gives_the_mean_difference_and_95_percent_limits()
    {
        var summary = AgreementMetrics.Differences([2, 4, 6])!;
        Assert.Equal((3, 4.0, 2.0), (summary.Count, summary.MeanDifference, summary.StandardDeviation));
        Assert.Equal((0.08, 7.92), (Math.Round(summary.LowerLimit, 2), Math.Round(summary.UpperLimit, 2)));
    }

    [Fact]
    public void Reads_are_adjudicated_only_on_the_variables_the_trial_configured()
    {
        var a = new ReadConclusion("PR", null, "PR");
        var b = new ReadConclusion("SD", null, "PR");
        Assert.False(AdjudicationRules.Compare(a, b, [AdjudicationVariable.DateOfProgression, AdjudicationVariable.BestOverallResponse]).NeedsAdjudication);
        var comparison = AdjudicationRules.Compare(a, b, [AdjudicationVariable.OverallResponse]);
        Assert.Equal(["OverallResponse: PR vs SD"], comparison.Differences);
    }
}
