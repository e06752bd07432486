namespace TrialFlow.Qc.Tests.Protocols;

public sealed class ProtocolLoaderTests
{
    [Fact]
    public void The_demo_protocol_loads_with_its_requirements_per_visit()
    {
        var protocol = ProtocolLoader.Load(Repository.Path("templates", "protocols", "tf-onc-301.yaml"));

        Assert.Equal(("tf-onc-301-imaging-v2", "TF-ONC-301"), (protocol.Name, protocol.TrialProtocolId));
        Assert.Equal(["ct-chest-abdomen-pelvis", "mr-liver"], protocol.At("BASELINE").Select(r => r.Id));
        Assert.Equal(["ct-chest-abdomen-pelvis"], protocol.At("WK06").Select(r => r.Id));
        var ct = protocol.Requirements[0];
        Assert.Equal((0.5, 5.0, 60.0, 80.0, true), (ct.SliceThickness.Min!.Value, ct.SliceThickness.Max!.Value, ct.ContrastDelaySeconds.Min!.Value, ct.ContrastDelaySeconds.Max!.Value, ct.ContrastRequired));
        Assert.Equal(64, protocol.Sha256.Length);
    }

    [Fact]
    public void A_qualification_is_checked_on_the_modality_acquisition_not_on_what_only_a_patient_shows()
    {
        var protocol = ProtocolLoader.Load(Repository.Path("templates", "protocols", "tf-onc-301.yaml"));

        var ct = Assert.Single(protocol.ForQualification("ct").Requirements);

        Assert.Equal(("ct-chest-abdomen-pelvis", 0.5, 5.0, 512), (ct.Id, ct.SliceThickness.Min!.Value, ct.SliceThickness.Max!.Value, ct.MatrixMin!.Value));
        Assert.Equal((false, 0, (double?)null, 0, 0), (ct.ContrastRequired, ct.BodyParts.Count, ct.CoverageMinMm, ct.RequiredSeries.Count, ct.Visits.Count));
        Assert.Equal(5, ct.MandatoryAttributes.Count);
        // MR is asked for at baseline only, and still qualifies by its own requirement.
        Assert.Equal("mr-liver", Assert.Single(protocol.ForQualification("MR").Requirements).Id);
        Assert.Empty(protocol.ForQualification("PT").Requirements);
    }

    [Fact]
    public void A_protocol_file_that_still_lists_qualified_scanners_is_told_where_they_live_now()
    {
        const string yaml = "protocol: p\ntrial: T\nrequirements: []\nsites:\n  \"101\": { scanners: [X] }\n";

        var e = Assert.Throws<ProtocolException>(() => ProtocolLoader.Parse("old.yaml", yaml));

        var error = Assert.Single(e.Errors);
        Assert.Equal(4, error.Line);
        Assert.Contains("no longer read: scanners are qualified by qualification scans", error.Reason);
    }

    [Fact]
    public void Problems_are_reported_with_file_line_and_requirement()
    {
        const string yaml = """
            protocol: p
            trial: T
            requirements:
              - id: ct
                modality: CT
                sliceThickness: { min: 5, max: 1 }
                kvp: { min: low }
                mandatoryAttributes: [SliceThickness, NotAKeyword]
                contrast: { required: true, series: "([" }
            """;

        var e = Assert.Throws<ProtocolException>(() => ProtocolLoader.Parse("bad.yaml", yaml));

        Assert.All(e.Errors, error => Assert.Equal(("bad.yaml", "ct"), (error.File, error.RuleId)));
        Assert.Collection(e.Errors.OrderBy(x => x.Line),
            x => Assert.Equal((6, "'sliceThickness': min 5 is above max 1"), (x.Line, x.Reason)),
            x => Assert.Equal((7, "'min' must be a number, got 'low'"), (x.Line, x.Reason)),
            x => Assert.Equal((8, "'NotAKeyword' is not a DICOM keyword"), (x.Line, x.Reason)),
            x => Assert.Equal(9, x.Line));
    }
}
