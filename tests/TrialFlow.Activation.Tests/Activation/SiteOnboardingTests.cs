namespace TrialFlow.Activation.Tests.Activation;

/// <summary>A site added to a running trial: Planned, senders registered, and every mistake named before anything is saved.</summary>
public sealed class SiteOnboardingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_onboarded_site_is_Planned_with_its_senders_and_networks_and_the_onboarding_is_audited()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();

        var lisbon = await db.Sites.Include(s => s.AeTitles).SingleAsync(s => s.Id == f.LisbonId);

        Assert.Equal(("801", "Hospital de Santa Luzia", "PT", "Europe/Lisbon", SiteStatus.Planned), (lisbon.SiteNumber, lisbon.Name, lisbon.Country, lisbon.TimeZone, lisbon.Status));
        Assert.Equal("LUZIA_PACS", Assert.Single(lisbon.AeTitles).AeTitle);
        Assert.Equal("10.80.0.0/16", lisbon.AeTitles[0].Networks);
        Assert.Contains(await db.AuditEvents.Where(e => e.EntityType == nameof(Site)).ToListAsync(),
            e => e.EntityId == f.LisbonId.ToString() && e.Reason == "site 801 (Hospital de Santa Luzia) onboarded into trial TF-TEST-1" && e.ActorName == "Sam Study-Manager");
    }

    [Theory]
    [InlineData("801", "OTHER_PACS", "10.0.0.0/8", "Site number 801 is already used in trial TF-TEST-1.")]
    [InlineData("802", "LUZIA_PACS", "10.0.0.0/8", "AE title LUZIA_PACS is already registered for another site")]
    [InlineData("802", "BERLIN_CT", "10.0.0.0/8", "AE title BERLIN_CT is already registered for another site")]
    public async Task A_taken_site_number_or_AE_title_is_refused(string number, string aeTitle, string network, string expected)
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();

        var refused = await Assert.ThrowsAsync<ActivationException>(() =>
            ActivationFixture.Onboarding.OnboardAsync(db, f.Trial.Trial.Id, new NewSite(number, "Second Lisbon", "PT", "Europe/Lisbon", [aeTitle], [network]), None));

        Assert.StartsWith(expected, refused.Message);
        await using var check = f.Db();
        Assert.Equal(3, await check.Sites.CountAsync());
    }

    [Theory]
    [InlineData("10.80.0/16", "'10.80.0/16' is not a network in CIDR notation")]
    [InlineData("10.80.0.0/33", "'10.80.0.0/33' is not a network in CIDR notation")]
    public async Task A_sender_network_that_is_not_CIDR_is_refused_naming_it(string network, string expected)
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            ActivationFixture.Onboarding.OnboardAsync(db, f.Trial.Trial.Id, new NewSite("802", "Porto", "PT", "Europe/Lisbon", ["PORTO_CT"], [network]), None));

        Assert.StartsWith(expected, refused.Message);
    }

    [Fact]
    public async Task A_site_is_given_its_agreements_de_identification_profile_and_an_unknown_one_is_refused_naming_the_ones_there_are()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();

        var porto = await ActivationFixture.Onboarding.OnboardAsync(db, f.Trial.Trial.Id,
            new NewSite("802", "Porto", "PT", "Europe/Lisbon", ["PORTO_CT"], [], "agreement-no-patient-age"), None);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => ActivationFixture.Onboarding.OnboardAsync(db, f.Trial.Trial.Id,
            new NewSite("803", "Braga", "PT", "Europe/Lisbon", ["BRAGA_CT"], [], "agreement-2019"), None));

        Assert.Equal("agreement-no-patient-age", porto.DeidProfile);
        Assert.StartsWith("There is no de-identification profile 'agreement-2019' (there are: agreement-no-patient-age, trial-default).", refused.Message);
        Assert.Null((await db.Sites.SingleAsync(s => s.Id == f.LisbonId)).DeidProfile);
    }

    [Theory]
    [InlineData("Portugal", "Europe/Lisbon", "Country must be an ISO 3166-1 alpha-2 code, got 'Portugal'.")]
    [InlineData("PT", "Europe/Porto", "Unknown time zone 'Europe/Porto'.")]
    public async Task A_country_or_time_zone_that_does_not_exist_is_refused_naming_it(string country, string timeZone, string expected)
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            ActivationFixture.Onboarding.OnboardAsync(db, f.Trial.Trial.Id, new NewSite("802", "Porto", country, timeZone, ["PORTO_CT"], []), None));

        Assert.StartsWith(expected, refused.Message);
    }
}
