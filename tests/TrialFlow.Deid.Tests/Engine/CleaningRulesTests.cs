namespace TrialFlow.Deid.Tests.Engine;

public sealed class CleaningRulesTests
{
    private static DicomDataset Deidentify(DicomDataset source, DeidProfile? profile = null) =>
        DeidEngine.Deidentify(source, profile ?? TestPaths.TrialDefault, PhiCanaryTests.Context()).Dataset;

    [Theory]
    [InlineData("CT CHEST ABDOMEN PELVIS WITH CONTRAST", "CT CHEST ABDOMEN PELVIS WITH CONTRAST")]
    [InlineData("MR BRAIN T1 POST GD", "MR BRAIN T1 POST GD")]
    [InlineData("ct chest 2", "ct chest 2")]
    [InlineData("CT CHEST Dr Smith", "CLEANED")]
    [InlineData("CT CHEST 12345678", "CLEANED")]
    [InlineData("Follow-up for Jane", "CLEANED")]
    [InlineData("Portal venous axial 2.5mm", "Portal venous axial 2.5mm")]
    [InlineData("Portal venous 5 mm", "Portal venous 5 mm")]
    [InlineData("3D MIP 120kV", "3D MIP 120kV")]
    [InlineData("CT CHEST 2024-01-05", "CLEANED")]
    [InlineData("CT CHEST AB1234", "CLEANED")]
    public void Clean_descriptors_keeps_safe_vocabulary_and_replaces_anything_else(string description, string expected)
    {
        var output = Deidentify(new DicomDataset { { DicomTags.StudyDescription, description } });
        Assert.Equal(expected, output.GetString(DicomTags.StudyDescription));
    }

    [Fact]
    public void Basic_profile_without_clean_descriptors_removes_descriptions()
    {
        var output = Deidentify(new DicomDataset { { DicomTags.StudyDescription, "CT CHEST" } }, DeidProfileLoader.LoadText("name: basic\n"));
        Assert.False(output.Contains(DicomTags.StudyDescription)); // Basic Profile: X
    }

    [Fact]
    public void Hash_override_maps_equal_values_to_equal_codes_and_replace_writes_the_text()
    {
        var profile = DeidProfileLoader.LoadText("name: p\ntags:\n  AccessionNumber: hash\n  InstitutionName: { replace: TRIAL SITE }\n");
        var a = Deidentify(new DicomDataset { { DicomTags.AccessionNumber, "ACC-1" }, { DicomTags.InstitutionName, "St. Mary" } }, profile);
        var b = Deidentify(new DicomDataset { { DicomTags.AccessionNumber, "ACC-1" } }, profile);
        var c = Deidentify(new DicomDataset { { DicomTags.AccessionNumber, "ACC-2" } }, profile);
        Assert.Matches("^[0-9A-F]{16}$", a.GetString(DicomTags.AccessionNumber));
        Assert.Equal(a.GetString(DicomTags.AccessionNumber), b.GetString(DicomTags.AccessionNumber));
        Assert.NotEqual(a.GetString(DicomTags.AccessionNumber), c.GetString(DicomTags.AccessionNumber));
        Assert.Equal("TRIAL SITE", a.GetString(DicomTags.InstitutionName));
    }

    [Fact]
    public void Removing_a_sequence_removes_everything_nested_in_it_and_kept_sequences_are_cleaned_inside()
    {
        var source = new DicomDataset
        {
            { DicomTags.SOPInstanceUID, "1.2.3" },
            { DicomTags.OtherPatientIDsSequence, new DicomDataset { { DicomTags.PatientID, "MRN-OTHER" } } },
            { DicomTags.ReferencedSeriesSequence, new DicomDataset { { DicomTags.SeriesInstanceUID, "1.2.3.4" }, { DicomTags.PatientName, "Doe^John" } } },
        };
        var output = Deidentify(source);
        Assert.False(output.Contains(DicomTags.OtherPatientIDsSequence));
        var item = output.GetSequence(DicomTags.ReferencedSeriesSequence)!.Items[0];
        Assert.StartsWith("2.25.", item.GetString(DicomTags.SeriesInstanceUID), StringComparison.Ordinal);
        Assert.Equal("", item.GetString(DicomTags.PatientName)); // Patient's Name is Z
        Assert.Equal("Doe^John", source.GetSequence(DicomTags.ReferencedSeriesSequence)!.Items[0].GetString(DicomTags.PatientName)); // source untouched
    }
}
