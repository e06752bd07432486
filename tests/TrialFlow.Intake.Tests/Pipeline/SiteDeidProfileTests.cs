namespace TrialFlow.Intake.Tests.Pipeline;

/// <summary>A site given its data-sharing agreement's profile at onboarding has its data de-identified with that profile, and an unknown one is not silently replaced.</summary>
public sealed class SiteDeidProfileTests
{
    [Fact]
    public async Task An_object_from_a_site_with_the_agreement_profile_is_de_identified_with_it()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await UseProfileAsync(intake, "agreement-no-patient-age");

        var outcome = await intake.PushAsync(DicomSamples.CtImage());

        Assert.Equal(IntakeOutcome.Archived, outcome);
        await using var db = intake.Db();
        var instance = await db.Instances.SingleAsync();
        var dataset = DicomFileReader.Read(new MemoryStream(await File.ReadAllBytesAsync(intake.Stores.Archive.PathOf(instance.ArchiveSha256)))).Dataset;
        Assert.False(dataset.Contains(DicomTags.PatientBirthDate));
        Assert.False(dataset.Contains(DicomTags.PatientAge));
        Assert.Contains("agreement-no-patient-age", (await db.AuditEvents.SingleAsync(e => e.Action == "Deidentified")).NewValues);
    }

    [Fact]
    public void A_profile_the_site_was_given_but_that_is_gone_is_an_error_naming_it_and_the_ones_there_are()
    {
        var catalog = new DeidProfileCatalog(PipelineFolder.Options(Path.GetTempPath()));
        var trial = new Trial("TF-X", "S", "T");
        var site = trial.AddSite("901", "Site", "PT", "Europe/Lisbon");
        site.UseDeidProfile("agreement-withdrawn");

        var error = Assert.Throws<InvalidOperationException>(() => catalog.For(site, trial));

        Assert.StartsWith("site 901 is to be de-identified with profile 'agreement-withdrawn', which is not among the profiles in ", error.Message);
        Assert.EndsWith("(agreement-no-patient-age, trial-default)", error.Message);
    }

    /// <summary>As onboarding leaves it (the harness's site is Active already, and a profile is chosen only before that).</summary>
    private static async Task UseProfileAsync(IntakeHarness intake, string profile)
    {
        await using var db = intake.Db();
        await db.Database.ExecuteSqlAsync($"UPDATE Sites SET DeidProfile = {profile} WHERE Id = {intake.SiteId}");
    }

    [Fact]
    public void A_site_without_a_profile_of_its_own_takes_its_trials_default_and_the_installations_when_the_trial_has_none()
    {
        var catalog = new DeidProfileCatalog(PipelineFolder.Options(Path.GetTempPath()));
        var plain = new Trial("TF-X", "S", "T");
        var fromTemplate = new Trial("TF-Y", "S", "T");
        fromTemplate.SetUp("oncology-recist", null, "agreement-no-patient-age", null);

        Assert.Equal("trial-default", catalog.For(plain.AddSite("901", "Site", "PT", "Europe/Lisbon"), plain).Name);
        Assert.Equal("agreement-no-patient-age", catalog.For(fromTemplate.AddSite("902", "Site", "PT", "Europe/Lisbon"), fromTemplate).Name);
    }
}
