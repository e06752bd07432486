namespace TrialFlow.Activation.Tests.Activation;

/// <summary>
/// A site's senders changed after onboarding (a new PACS, a moved modality): replaced as a whole with a reason, and every
/// mistake named before anything is saved.
/// </summary>
public sealed class SiteSendersTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A SHA-256 fingerprint as <c>openssl x509 -noout -fingerprint -sha256</c> prints it (after its "sha256 Fingerprint=").</summary>
    private const string Fingerprint = "3a:7b:0c:91:5e:22:d4:f0:18:6a:9b:c3:47:e5:02:8d:f1:6c:33:a9:0e:b7:54:c8:2d:91:7f:e6:0a:4b:15:d2";

    [Fact]
    public async Task The_senders_are_replaced_kept_titles_take_the_new_networks_and_the_change_is_audited_with_its_reason()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using (var db = f.Db())
            await ActivationFixture.Onboarding.ChangeSendersAsync(db, f.LisbonId,
                new SiteSenders([" LUZIA_PACS", "LUZIA_CT2"], ["10.81.0.0/16", "192.0.2.7/32"], "new CT in the annex, PACS moved to 10.81", Fingerprint.ToUpperInvariant()), None);

        await using var check = f.Db();
        var senders = await SiteOnboarding.SendersAsync(check, f.LisbonId, None);
        Assert.Equal([new SiteSenderView("LUZIA_CT2", "10.81.0.0/16 192.0.2.7/32"), new SiteSenderView("LUZIA_PACS", "10.81.0.0/16 192.0.2.7/32")], senders.Senders);
        Assert.Equal(Fingerprint.Replace(":", "", StringComparison.Ordinal), senders.ClientCertificateSha256);
        Assert.Contains(await check.AuditEvents.ToListAsync(), e => e.Reason == "senders of site 801: new CT in the annex, PACS moved to 10.81" && e.ActorName == "Sam Study-Manager");
    }

    [Fact]
    public async Task A_title_left_out_is_removed()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using (var db = f.Db())
            await ActivationFixture.Onboarding.ChangeSendersAsync(db, f.LisbonId, new SiteSenders(["LUZIA_NEW"], [], "PACS replaced"), None);

        await using var check = f.Db();
        Assert.Equal([new SiteSenderView("LUZIA_NEW", "127.0.0.0/8 ::1/128")], (await SiteOnboarding.SendersAsync(check, f.LisbonId, None)).Senders);
        Assert.False(await check.SiteAeTitles.AnyAsync(a => a.AeTitle == "LUZIA_PACS"));
    }

    [Theory]
    [InlineData("BERLIN_CT", "10.0.0.0/8", "a reason", typeof(ActivationException), "AE title BERLIN_CT is already registered for another site")]
    [InlineData("LUZIA_PACS", "10.80.0/16", "a reason", typeof(ArgumentException), "'10.80.0/16' is not a network in CIDR notation")]
    [InlineData("", "10.0.0.0/8", "a reason", typeof(ArgumentException), "A site needs at least one AE title to send from.")]
    [InlineData("LUZIA_PACS", "10.0.0.0/8", " ", typeof(ActivationException), "A reason is required to change a site's senders")]
    [InlineData("THIS_TITLE_IS_TOO_LONG", "10.0.0.0/8", "a reason", typeof(ArgumentException), "'THIS_TITLE_IS_TOO_LONG' is not a valid AE title")]
    [InlineData("LUZIA_PACS", "10.0.0.0/8", "a reason", typeof(ArgumentException), "'3a:7b' is not a SHA-256 certificate fingerprint", "3a:7b")]
    public async Task A_mistake_is_named_and_nothing_changes(string title, string network, string reason, Type error, string expected, string? certificate = null)
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using (var db = f.Db())
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
                ActivationFixture.Onboarding.ChangeSendersAsync(db, f.LisbonId, new SiteSenders([title], [network], reason, certificate), None));
            Assert.IsType(error, refused);
            Assert.StartsWith(expected, refused.Message);
        }

        await using var check = f.Db();
        var unchanged = await SiteOnboarding.SendersAsync(check, f.LisbonId, None);
        Assert.Equal([new SiteSenderView("LUZIA_PACS", "10.80.0.0/16")], unchanged.Senders);
        Assert.Null(unchanged.ClientCertificateSha256);
    }

    [Theory]
    [InlineData("sha256 Fingerprint=3A:7B:0C:91:5E:22:D4:F0:18:6A:9B:C3:47:E5:02:8D:F1:6C:33:A9:0E:B7:54:C8:2D:91:7F:E6:0A:4B:15:D2")]
    [InlineData("3a7b0c915e22d4f0186a9bc347e5028df16c33a90eb754c82d917fe60a4b15d2")]
    public void A_fingerprint_is_taken_as_openssl_prints_it_and_kept_as_lower_case_hex(string printed)
    {
        var site = new Trial("TF-X", "S", "T").AddSite("901", "Site", "PT", "Europe/Lisbon");

        site.PinClientCertificate(printed);

        Assert.Equal("3a7b0c915e22d4f0186a9bc347e5028df16c33a90eb754c82d917fe60a4b15d2", site.ClientCertificateSha256);
        site.PinClientCertificate(" ");
        Assert.Null(site.ClientCertificateSha256);
    }
}
