namespace TrialFlow.Deid.Tests.Profiles;

public sealed class DeidProfileLoaderTests
{
    [Fact]
    public void Trial_default_profile_loads_with_its_options_and_a_content_hash_version()
    {
        var profile = TestPaths.TrialDefault;
        Assert.Equal("trial-default", profile.Name);
        Assert.Matches("^[0-9a-f]{64}$", profile.Version);
        Assert.Contains(DeidOption.RetainLongitudinalModifiedDates, profile.Options);
        Assert.Contains(DeidOption.CleanDescriptors, profile.Options);
        Assert.DoesNotContain(DeidOption.RetainUids, profile.Options);
        Assert.Contains("CHEST", profile.SafeVocabulary);
    }

    [Fact]
    public void Agreement_profile_extends_the_trial_default_and_removes_age_and_birth_date()
    {
        var profile = DeidProfileLoader.LoadFile(TestPaths.Profile("agreement-no-patient-age.yaml"));
        Assert.Equal(["trial-default", "agreement-no-patient-age"], profile.Lineage);
        Assert.Equal(OverrideAction.Remove, profile.Overrides[DicomTags.PatientAge].Action);
        Assert.NotEqual(TestPaths.TrialDefault.Version, profile.Version);

        var source = new DicomDataset
        {
            { DicomTags.SOPInstanceUID, "1.2.3.4" },
            { DicomTags.PatientAge, "063Y" },
            { DicomTags.PatientBirthDate, "19600101" },
            { DicomTags.PatientSex, "F" },
        };
        var byDefault = DeidEngine.Deidentify(source, TestPaths.TrialDefault, Engine.PhiCanaryTests.Context()).Dataset;
        Assert.Equal("063Y", byDefault.GetString(DicomTags.PatientAge)); // Retain Patient Characteristics
        var byAgreement = DeidEngine.Deidentify(source, profile, Engine.PhiCanaryTests.Context()).Dataset;
        Assert.False(byAgreement.Contains(DicomTags.PatientAge));
        Assert.False(byAgreement.Contains(DicomTags.PatientBirthDate));
        Assert.Equal("F", byAgreement.GetString(DicomTags.PatientSex));
    }

    [Fact]
    public void Version_is_the_same_for_the_same_rules_written_differently()
    {
        var a = DeidProfileLoader.LoadText("name: p\noptions:\n  cleanDescriptors: true\n  retainUids: true\ntags:\n  PatientAge: remove\n  StudyID: hash\n");
        var b = DeidProfileLoader.LoadText("# comment\nname: p\ntags:\n  StudyID: hash\n  (0010,1010): remove\noptions: { retainUids: true, cleanDescriptors: true }\n");
        var c = DeidProfileLoader.LoadText("name: p\noptions:\n  cleanDescriptors: true\ntags:\n  PatientAge: remove\n  StudyID: hash\n");
        Assert.Equal(a.Version, b.Version);
        Assert.NotEqual(a.Version, c.Version);
    }

    [Theory]
    [InlineData("name: p\noptions:\n  retainEverything: true\n", 3, "unknown option 'retainEverything'")]
    [InlineData("name: p\ntags:\n  PatientAge: remove\n  PatientsFavouriteColour: keep\n", 4, "unknown keyword 'PatientsFavouriteColour'")]
    [InlineData("name: p\ntags:\n  PatientAge: scramble\n", 3, "unknown action 'scramble'")]
    [InlineData("name: p\ntags:\n  (0010,00ZZ): keep\n", 3, "is not a tag")]
    [InlineData("name: p\ncolour: blue\n", 2, "unknown key 'colour'")]
    [InlineData("name: p\noptions:\n  cleanDescriptors: yes please\n", 3, "expected true or false")]
    [InlineData("name: p\ntags: [a\n", -1, "not valid YAML")]
    [InlineData("name: p\ntags:\n  PatientAge: remove\n  (0010,1010): keep\n", 4, "has two rules")]
    public void Profile_that_does_not_load_names_file_line_and_reason(string yaml, int line, string reason)
    {
        var ex = Assert.ThrowsAny<DeidException>(() => DeidProfileLoader.LoadText(yaml, "bad.yaml"));
        var profileError = Assert.IsType<DeidProfileException>(ex);
        Assert.Equal("bad.yaml", profileError.File);
        if (line > 0) Assert.Equal(line, profileError.Line);
        else Assert.True(profileError.Line > 0, "a YAML syntax error still names a line");
        Assert.Contains(reason, profileError.Reason, StringComparison.Ordinal);
        Assert.StartsWith("bad.yaml:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_extending_a_broken_file_is_rejected_as_a_whole()
    {
        var dir = TestPaths.TempDirectory("profiles");
        try
        {
            File.WriteAllText(Path.Combine(dir, "base.yaml"), "name: base\noptions:\n  cleanDescriptors: true\n  nonsense: true\n");
            File.WriteAllText(Path.Combine(dir, "site.yaml"), "name: site\nextends: base.yaml\ntags:\n  PatientAge: remove\n");
            var ex = Assert.Throws<DeidProfileException>(() => DeidProfileLoader.LoadFile(Path.Combine(dir, "site.yaml")));
            Assert.EndsWith("base.yaml", ex.File, StringComparison.Ordinal);
            Assert.Equal(4, ex.Line);

            File.WriteAllText(Path.Combine(dir, "loop.yaml"), "name: loop\nextends: loop.yaml\n");
            Assert.Contains("cycle", Assert.Throws<DeidProfileException>(() => DeidProfileLoader.LoadFile(Path.Combine(dir, "loop.yaml"))).Reason, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(dir, "both.yaml"), "name: both\noptions:\n  retainLongitudinalFullDates: true\n  retainLongitudinalModifiedDates: true\n");
            Assert.Contains("exclude each other", Assert.Throws<DeidProfileException>(() => DeidProfileLoader.LoadFile(Path.Combine(dir, "both.yaml"))).Reason, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
