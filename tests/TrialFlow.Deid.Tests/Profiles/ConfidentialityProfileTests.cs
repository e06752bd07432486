namespace TrialFlow.Deid.Tests.Profiles;

public sealed class ConfidentialityProfileTests
{
    [Fact]
    public void Generated_table_holds_every_row_of_PS3_15_2023b_with_every_action_code()
    {
        Assert.Equal(608, ConfidentialityProfile.AllRows.Count); // 611 rows, 3 tags listed twice
        var basic = ConfidentialityProfile.AllRows.Select(r => r.Basic).ToHashSet();
        foreach (var code in new[] { TableAction.D, TableAction.Z, TableAction.X, TableAction.U, TableAction.ZD, TableAction.XZ, TableAction.XD, TableAction.XZD, TableAction.XZU })
            Assert.Contains(code, basic);
        Assert.Equal(TableAction.Z, ConfidentialityProfile.Find(DicomTags.PatientID)!.Basic);
        Assert.Equal(TableAction.U, ConfidentialityProfile.Find(DicomTags.StudyInstanceUID)!.Basic);
        Assert.Equal(TableAction.K, ConfidentialityProfile.Find(DicomTags.StudyInstanceUID)!.RetainUids);
    }

    [Fact]
    public void Wildcard_rows_cover_curves_overlays_and_private_groups()
    {
        Assert.Equal("Curve Data", ConfidentialityProfile.Find(new DicomTag(0x501E, 0x3000))!.Name);
        Assert.Equal("Overlay Data", ConfidentialityProfile.Find(new DicomTag(0x6002, 0x3000))!.Name);
        Assert.Equal("Overlay Comments", ConfidentialityProfile.Find(new DicomTag(0x601E, 0x4000))!.Name);
        Assert.True(ConfidentialityProfile.Find(new DicomTag(0x0029, 0x1010))!.IsPrivateRow);
        Assert.Null(ConfidentialityProfile.Find(DicomTags.Rows));
    }

    [Fact]
    public void Duplicated_rows_of_2023b_keep_the_more_conservative_option_code()
    {
        // (0040,0241) Performed Station AE Title is listed with K and with C under Retain Device Identity.
        Assert.Equal(TableAction.C, ConfidentialityProfile.Find(new DicomTag(0x00400241))!.RetainDeviceIdentity);
    }
}
