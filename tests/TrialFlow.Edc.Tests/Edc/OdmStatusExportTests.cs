namespace TrialFlow.Edc.Tests.Edc;

public sealed class OdmStatusExportTests
{
    private static readonly XNamespace Ns = Odm.Ns;

    private static readonly ImagingVisitStatus[] Statuses =
    [
        new("101-001", "101", "BASELINE", "1.2.3.1", new DateOnly(2026, 3, 3), QcState.Passed, 0, ReadState.Read, AdjudicationState.Done, "PR"),
        new("101-001", "101", "WK06", "1.2.3.2", new DateOnly(2026, 4, 14), QcState.Failed, 2, ReadState.NotRead, null, null),
        new("101-001", "101", "WK12", null, null, QcState.NotDone, null, null, null, null),
        new("201-001", "201", "BASELINE", "1.2.3.3", new DateOnly(2026, 3, 11), QcState.PassedWithFindings, null, ReadState.InProgress, AdjudicationState.Pending, null),
    ];

    private static XDocument Export() =>
        XDocument.Parse(System.Text.Encoding.UTF8.GetString(EdcVisitResultsExporter.Serialize(
            OdmStatusExport.Build(EdcTrial.Mapping, new OdmStudyInfo("TF-ONC-301", "Demo"), Statuses, new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero), "TF.EXPORT.1"))),
            LoadOptions.SetLineInfo);

    [Fact]
    public void The_status_export_passes_the_ODM_1_3_2_structure_and_reference_checks()
    {
        var document = Export();

        Assert.Empty(OdmStructureValidator.Validate(document));
        Assert.Equal(["Study", "AdminData", "ClinicalData"], document.Root!.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("1.3.2", (string?)document.Root.Attribute("ODMVersion"));
    }

    [Fact]
    public void Each_visit_carries_its_status_items_under_the_mapped_OIDs_and_unknown_statuses_are_left_out()
    {
        var document = Export();
        var subjects = document.Descendants(Ns + "SubjectData").ToList();
        Assert.Equal(["101-001", "201-001"], subjects.Select(s => (string?)s.Attribute("SubjectKey")));
        Assert.Equal("LOC.201", (string?)subjects[1].Element(Ns + "SiteRef")!.Attribute("LocationOID"));

        Dictionary<string, string> Items(XElement subject, string eventOid) => subject.Elements(Ns + "StudyEventData")
            .Single(e => (string?)e.Attribute("StudyEventOID") == eventOid).Descendants(Ns + "ItemData")
            .ToDictionary(i => (string)i.Attribute("ItemOID")!, i => (string)i.Attribute("Value")!);

        Assert.Equal(new Dictionary<string, string>
        {
            ["IT.IMG.STUID"] = "1.2.3.1", ["IT.IMG.RECEIVED"] = "Y", ["IT.IMG.RECDTC"] = "2026-03-03", ["IT.IMG.QCSTAT"] = "PASSED",
            ["IT.IMG.OPENQRY"] = "0", ["IT.IMG.READ"] = "READ", ["IT.IMG.ADJUD"] = "DONE", ["IT.IMG.OVRLRESP"] = "PR",
        }, Items(subjects[0], "SE.BASELINE"));
        Assert.Equal("2", Items(subjects[0], "SE.WK06")["IT.IMG.OPENQRY"]);
        Assert.Equal("FAILED", Items(subjects[0], "SE.WK06")["IT.IMG.QCSTAT"]);
        Assert.Equal(new Dictionary<string, string> { ["IT.IMG.RECEIVED"] = "N" }, Items(subjects[0], "SE.WK12"));
        Assert.DoesNotContain("IT.IMG.OPENQRY", Items(subjects[1], "SE.BASELINE").Keys);
    }

    [Fact]
    public void Every_OID_the_clinical_data_references_is_in_the_mapping_file()
    {
        var document = Export();
        var clinical = document.Root!.Element(Ns + "ClinicalData")!;
        var mapping = EdcTrial.Mapping;

        Assert.All(clinical.Descendants(Ns + "SiteRef"), e => Assert.Contains((string)e.Attribute("LocationOID")!, mapping.Sites.Keys));
        Assert.All(clinical.Descendants(Ns + "StudyEventData"), e => Assert.Contains((string)e.Attribute("StudyEventOID")!, mapping.Visits.Keys));
        Assert.All(clinical.Descendants(Ns + "FormData"), e => Assert.Equal(mapping.ImagingStatus.FormOid, (string)e.Attribute("FormOID")!));
        Assert.All(clinical.Descendants(Ns + "ItemGroupData"), e => Assert.Equal(mapping.ImagingStatus.ItemGroupOid, (string)e.Attribute("ItemGroupOID")!));
        Assert.All(clinical.Descendants(Ns + "ItemData"), e => Assert.Contains((string)e.Attribute("ItemOID")!, mapping.ImagingStatus.Items.All.Select(i => i.Oid)));
    }

    [Fact]
    public void The_validator_names_an_element_out_of_schema_order_with_its_line()
    {
        var document = Export();
        var subject = document.Descendants(Ns + "SubjectData").First();
        var siteRef = subject.Element(Ns + "SiteRef")!;
        siteRef.Remove();
        subject.Add(siteRef);
        var reparsed = XDocument.Parse(document.ToString(), LoadOptions.SetLineInfo);

        var problem = Assert.Single(OdmStructureValidator.Validate(reparsed));

        Assert.Matches(@"^line \d+: <SiteRef> is out of order", problem);
    }

    [Fact]
    public void The_validator_refuses_OIDs_the_metadata_does_not_declare()
    {
        var document = Export();
        var item = document.Descendants(Ns + "ItemData").First();
        item.SetAttributeValue("ItemOID", "IT.IMG.NOPE");
        document.Descendants(Ns + "StudyEventData").Last().SetAttributeValue("StudyEventOID", "SE.WK99");
        document.Descendants(Ns + "SiteRef").First().SetAttributeValue("LocationOID", "LOC.999");

        var problems = OdmStructureValidator.Validate(document);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("LocationOID 'LOC.999'"));
        Assert.Contains(problems, p => p.Contains("ItemOID 'IT.IMG.NOPE' is not declared"));
        Assert.Contains(problems, p => p.Contains("StudyEventOID 'SE.WK99' is not declared"));
    }

    [Fact]
    public void A_clinical_data_only_file_is_checked_against_the_mapping_metadata()
    {
        var statuses = Statuses.Take(1);
        var bare = OdmStatusExport.Build(EdcTrial.Mapping, new OdmStudyInfo("TF-ONC-301", "Demo"), statuses, DateTimeOffset.UnixEpoch, "F1", includeMetadata: false);
        var full = OdmStatusExport.Build(EdcTrial.Mapping, new OdmStudyInfo("TF-ONC-301", "Demo"), statuses, DateTimeOffset.UnixEpoch, "F2");

        Assert.NotEmpty(OdmStructureValidator.Validate(bare));
        Assert.Empty(OdmStructureValidator.Validate(bare, full.Root!.Element(Ns + "Study"), full.Root.Element(Ns + "AdminData")));
    }
}
