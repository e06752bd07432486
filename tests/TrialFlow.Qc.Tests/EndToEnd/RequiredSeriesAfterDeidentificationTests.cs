namespace TrialFlow.Qc.Tests.EndToEnd;

// Issue 17: QC reads the archived, de-identified Series Description. The default profile once replaced
// "Portal venous axial 2.5mm" by CLEANED, and the protocol's required portal venous series went missing.
public sealed class RequiredSeriesAfterDeidentificationTests
{
    [Fact]
    public async Task Series_descriptions_with_units_survive_deidentification_and_the_study_passes_QC()
    {
        string[] descriptions = ["Portal venous axial 2.5mm", "Portal venous 5 mm", "3D MIP 120kV"];
        await using var harness = await QcHarness.CreateAsync();
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.510") { EnhancedSeries = descriptions });

        await harness.DispatchEventsAsync();

        await using var db = harness.Db();
        var study = await db.Studies.Include(s => s.Series).SingleAsync();
        Assert.Equal(descriptions, study.Series.Where(s => s.SeriesNumber > 1).OrderBy(s => s.SeriesNumber).Select(s => s.Description));
        var result = await db.QcResults.Include(r => r.Findings).SingleAsync();
        Assert.True(result.Findings.Count == 0, string.Join(Environment.NewLine, result.Findings.Select(f => $"{f.RuleId}: {f.Message}")));
        Assert.Equal(QcOutcome.Passed, result.Outcome);
    }

    [Theory]
    [InlineData("Portal venous axial 2.5mm", false)]
    [InlineData("Arterial only", true)]
    public async Task The_required_series_rule_matches_the_deidentified_series_description(string description, bool missing)
    {
        await using var harness = await QcHarness.CreateAsync();
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.511") { EnhancedSeries = [description] });

        await harness.DispatchEventsAsync();

        await using var db = harness.Db();
        var result = await db.QcResults.Include(r => r.Findings).SingleAsync();
        var finding = result.Findings.SingleOrDefault(f => f.RuleId == "QC-REQUIRED-SERIES");
        Assert.Equal(missing, finding is not null);
        if (missing)
        {
            Assert.Equal(QcSeverity.Critical, finding!.Severity);
            Assert.Equal("Required series 'Portal venous axial' (CT, at least 1 images) is missing", finding.Message);
            Assert.Equal(QcOutcome.Failed, result.Outcome);
        }
    }
}
