namespace TrialFlow.Activation.Tests.Activation;

/// <summary>
/// A site's senders changed after onboarding (a new PACS, a moved modality): replaced as a whole with a reason, and every
/// mistake named before anything is saved.
/// </summary>
public sealed class SiteSendersTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_senders_are_replaced_kept_titles_take_the_new_networks_and_the_change_is_audited_with_its_reason()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using (var db = f.Db())
            await ActivationFixture.Onboarding.ChangeSendersAsync(db, f.LisbonId,
                new SiteSenders([" LUZIA_PACS", "LUZIA_CT2"], ["10.81.0.0/16", "192.0.2.7/32"], "new CT in the annex, PACS moved to 10.81"), None);

        await using var check = f.Db();
        var senders = await SiteOnboarding.SendersAsync(check, f.LisbonId, None);
        Assert.Equal([new SiteSenderView("LUZIA_CT2", "10.81.0.0/16 192.0.2.7/32"), new SiteSenderView("LUZIA_PACS", "10.81.0.0/16 192.0.2.7/32")], senders);
        Assert.Contains(await check.AuditEvents.ToListAsync(), e => e.Reason == "senders of site 801: new CT in the annex, PACS moved to 10.81" && e.ActorName == "Sam Study-Manager");
    }

    [Fact]
    public async Task A_title_left_out_is_removed()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using (var db = f.Db())
            await ActivationFixture.Onboarding.ChangeSendersAsync(db, f.LisbonId, new SiteSenders(["LUZIA_NEW"], [], "PACS replaced"), None);

        await using var check = f.Db();
        Assert.Equal([new SiteSenderView("LUZIA_NEW", "127.0.0.0/8 ::1/128")], await SiteOnboarding.SendersAsync(check, f.LisbonId, None));
        Assert.False(await check.SiteAeTitles.AnyAsync(a => a.AeTitle == "LUZIA_PACS"));
    }

    [Theory]
    [InlineData("BERLIN_CT", "10.0.0.0/8", "a reason", typeof(ActivationException), "AE title BERLIN_CT is already registered for another site")]
    [InlineData("LUZIA_PACS", "10.80.0/16", "a reason", typeof(ArgumentException), "'10.80.0/16' is not a network in CIDR notation")]
    [InlineData("", "10.0.0.0/8", "a reason", typeof(ArgumentException), "A site needs at least one AE title to send from.")]
    [InlineData("LUZIA_PACS", "10.0.0.0/8", " ", typeof(ActivationException), "A reason is required to change a site's senders")]
    [InlineData("THIS_TITLE_IS_TOO_LONG", "10.0.0.0/8", "a reason", typeof(ArgumentException), "'THIS_TITLE_IS_TOO_LONG' is not a valid AE title")]
    public async Task A_mistake_is_named_and_nothing_changes(string title, string network, string reason, Type error, string expected)
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using (var db = f.Db())
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
                ActivationFixture.Onboarding.ChangeSendersAsync(db, f.LisbonId, new SiteSenders([title], [network], reason), None));
            Assert.IsType(error, refused);
            Assert.StartsWith(expected, refused.Message);
        }

        await using var check = f.Db();
        Assert.Equal([new SiteSenderView("LUZIA_PACS", "10.80.0.0/16")], await SiteOnboarding.SendersAsync(check, f.LisbonId, None));
    }
}
