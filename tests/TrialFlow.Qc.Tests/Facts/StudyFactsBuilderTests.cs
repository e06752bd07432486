using TrialFlow.Dicom;

namespace TrialFlow.Qc.Tests.Facts;

public sealed class StudyFactsBuilderTests
{
    private static readonly ProtocolRequirements Protocol = ProtocolLoader.Load(Repository.Path("templates", "protocols", "tf-onc-301.yaml"));

    private static (StudyRecords Records, ImagingSeries Series) Records(params DicomDataset[] headers)
    {
        var trial = new Trial("TF-ONC-301", "Sponsor", "Title");
        var wk06 = trial.AddVisit("WK06", "Week 6", 42, 7, 7);
        var site = trial.AddSite("101", "Nordstadt", "DE", "Europe/Berlin");
        var study = new ImagingStudy(trial.Id, site.Id, Guid.NewGuid(), null, "1.2.3", DateTime.UtcNow);
        var series = study.AddSeries("1.2.3.1", "CT", 2, "PORTAL VENOUS");
        for (var i = 0; i < headers.Length; i++)
            series.AddInstance($"1.2.3.1.{i + 1}", "1.2.840.10008.5.1.4.1.1.2", i + 1, new string('a', 64), 10, DateTime.UtcNow);
        study.Recount();
        return (new StudyRecords(study, site, wk06, new Dictionary<string, IReadOnlyList<DicomDataset>> { ["1.2.3.1"] = headers }, ["SIEMENS SOMATOM Force"]), series);
    }

    private static DicomDataset Header(string acquisitionTime, string? contrastStart = "101500", double z = 0, bool withKvp = true)
    {
        var header = new DicomDataset
        {
            { DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL" },
            { DicomTags.AcquisitionTime, acquisitionTime },
            { DicomTags.SliceThickness, "1.25" },
            { DicomTags.PixelSpacing, "0.7", "0.75" },
            { DicomTags.ImagePositionPatient, "0", "0", z.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        if (contrastStart is not null)
            header.Add(DicomTags.ContrastBolusStartTime, contrastStart);
        if (withKvp)
            header.Add(DicomTags.KVP, "120");
        return header;
    }

    [Theory]
    [InlineData("101610", "101500", 70)]
    [InlineData("101430", "101500", -30)]   // acquired before the injection (an unenhanced phase)
    [InlineData("000040", "235930", 70)]    // across midnight
    public void The_contrast_delay_runs_from_injection_start_to_the_first_acquisition(string acquired, string injected, double seconds)
    {
        var (records, _) = Records(Header(acquired, injected), Header("235959", injected));
        var series = StudyFactsBuilder.Build(records, Protocol).Series.Single();
        Assert.Equal(seconds, series.ContrastDelaySeconds);
    }

    [Fact]
    public void Series_values_coverage_and_missing_mandatory_attributes_come_from_every_image()
    {
        var (records, _) = Records(Header("101610", z: 0), Header("101611", z: -150, withKvp: false), Header("101612", z: -310, withKvp: false));

        var facts = StudyFactsBuilder.Build(records, Protocol);

        var series = facts.Series.Single();
        Assert.Equal((1.25, 0.75, 310.0, 120.0, false), (series.SliceThickness!.Value, series.PixelSpacing!.Value, series.CoverageMm!.Value, series.Kvp!.Value, series.IsLocalizer));
        var missing = Assert.Single(facts.MissingAttributes);
        Assert.Equal(("KVP", "(0018,0060)", 2), (missing.Keyword, missing.Tag, missing.Images));
        Assert.Equal((35, 49), (facts.Visit!.WindowStartDay, facts.Visit.WindowEndDay));
        Assert.Equal(["ct-chest-abdomen-pelvis"], facts.Protocol.Select(p => p.Requirement));
        Assert.Equal(["Portal venous axial"], facts.RequiredSeries.Select(r => r.Name));
        Assert.Contains("SIEMENS SOMATOM Force", facts.Site!.QualifiedScanners);
        Assert.Empty(facts.All(includeInstances: false).OfType<InstanceFact>());
        Assert.Equal(3, facts.All(includeInstances: true).OfType<InstanceFact>().Count());
    }
}
