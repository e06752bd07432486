using TrialFlow.Intake.Domain;
using TrialFlow.Reports.Adherence;
using TrialFlow.Reports.Tests.Support;

namespace TrialFlow.Reports.Tests.Adherence;

/// <summary>
/// The protocol adherence report over studies the real pipeline and QC made: a passing and a failing study at site 101,
/// a qualified scanner whose software changed, and an image held because it names no qualified scanner.
/// </summary>
public sealed class ProtocolAdherenceTests(ProtocolAdherenceTests.Trial trial) : IClassFixture<ProtocolAdherenceTests.Trial>
{
    private readonly ProtocolAdherenceReport _report = trial.Report;

    /// <summary>The pipeline's records, made once for the class: every test only reads the report.</summary>
    public sealed class Trial : IAsyncLifetime
    {
        private DossierHarness _harness = null!;

        public ProtocolAdherenceReport Report { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _harness = await DossierHarness.CreateAsync();
            var passing = await _harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.3001", StudyDate: "20260302"));
            var failing = await _harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.3002", StudyDate: "20260302") { SliceThickness = 8 });
            await _harness.Qc.RunQcAsync(passing);
            await _harness.Qc.RunQcAsync(failing);
            await using (var db = _harness.Db())
            {
                var scanner = new QualifiedScanner(_harness.TrialId, _harness.SiteId, new ScannerIdentity("CT", "SIEMENS", "SOMATOM Force", null, null, "VA50"),
                    "tf-onc-301-imaging-v2", "qualification scan passed QC", "tests", _harness.Clock.GetUtcNow().UtcDateTime, null);
                scanner.NoteSoftware("VA60", _harness.Clock.GetUtcNow().UtcDateTime);
                db.QualifiedScanners.Add(scanner);
                await db.SaveChangesAsync();
            }
            Assert.Equal(IntakeOutcome.Quarantined,
                await _harness.Intake.PushAsync(DicomSamples.CtImage(study: "1.2.826.0.1.3680043.2.3003", scanner: DicomSamples.NoScanner), _harness.TrialId, _harness.SiteId, "SITE101_CT@127.0.0.1"));
            await using var asManager = _harness.Db(DossierHarness.StudyManager);
            Report = (await ProtocolAdherence.BuildAsync(asManager, _harness.TrialId, CancellationToken.None))!;
        }

        public async Task DisposeAsync() => await _harness.DisposeAsync();
    }

    [Fact]
    public void Each_site_shows_its_scanners_its_QC_pass_rate_its_deviations_by_rule_and_what_is_held_for_its_scanner()
    {
        var site = Assert.Single(_report.Sites);
        Assert.Equal(("101", SiteStatus.Active, 2, 1, 0.5, 1), (site.SiteNumber, site.Status, site.StudiesEvaluated, site.StudiesPassed, site.PassRate, site.HeldForScanner));
        Assert.Equal(["SIEMENS SOMATOM Force (CT)"], site.QualifiedScanners);
        Assert.Equal(1, site.ScannersWithSoftwareChange);
        Assert.Equal(1, site.Deviations["QC-SLICE-THICKNESS"]);
        Assert.Equal(site.Deviations.Keys.Order(StringComparer.Ordinal), _report.Rules);
    }

    [Fact]
    public void The_CSV_has_one_row_per_site_and_a_deviation_column_per_rule()
    {
        var lines = AdherenceCsv.Write(_report).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("site,name,country,status,qualified_scanners,scanners_software_changed,studies_evaluated,studies_passed,pass_rate,held_scanner_not_qualified,deviations_", lines[0]);
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        Assert.Equal(header.Length, row.Length);
        Assert.Equal(("101", "SIEMENS SOMATOM Force (CT)", "1", "2", "1", "0.5000", "1"), (row[0], row[4], row[5], row[6], row[7], row[8], row[9]));
        Assert.Equal("1", row[Array.IndexOf(header, "deviations_QC-SLICE-THICKNESS")]);
    }

    [Fact]
    public void The_PDF_states_the_pass_rate_per_site_and_the_deviations_by_rule()
    {
        var text = new PdfText(AdherencePdf.Render(_report, "Sam Study-Manager (StudyManager)"));

        Assert.True(text.Has("TrialFlow · protocol adherence"), text.All);
        Assert.True(text.Has("1 of 2 (50 %)"), text.All);
        Assert.True(text.Has("SIEMENS SOMATOM Force (CT)"), text.All);
        Assert.True(text.Has("QC-SLICE-THICKNESS"), text.All);
        Assert.True(text.Has("by Sam Study-Manager (StudyManager)"), text.All);
    }

    [Fact]
    public void A_site_without_evaluated_studies_has_no_pass_rate_rather_than_zero()
    {
        var empty = new SiteAdherence("701", "Harbourside", "AU", SiteStatus.Qualifying, [], 0, 0, 0, new Dictionary<string, int>(), 0);

        Assert.Null(empty.PassRate);
        Assert.Equal("n/a", AdherencePdf.Percent(empty.PassRate));
        Assert.Contains(",0,0,,0", AdherenceCsv.Write(_report with { Sites = [empty], Rules = [] }));
    }
}
