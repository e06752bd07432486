using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using TrialFlow.Dicom.Network;
using TrialFlow.Intake.Channels;

namespace TrialFlow.Intake.Tests.Channels;

/// <summary>A DICOM sender is admitted by its AE title and the network it connects from, both registered for the site.</summary>
public sealed class SenderAddressTests : IAsyncLifetime
{
    private IntakeHarness _harness = null!;
    private DicomPushChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _harness = await IntakeHarness.CreateAsync();
        _channel = new DicomPushChannel(_harness.Receiver, _harness.Options, _harness.Database, _harness.Clock, NullLogger<DicomPushChannel>.Instance);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("SITE101_PACS", "10.101.4.20")]
    [InlineData("SITE101_PACS", "::ffff:10.101.0.7")]
    [InlineData("SITE101_PACS", "2001:db8:101::42")]
    [InlineData("SITE101_CT", "127.0.0.1")]
    [InlineData("SITE101_CT", "::1")]
    public async Task A_registered_AE_title_from_its_registered_network_is_accepted(string aeTitle, string address)
    {
        var decision = await _channel.EvaluateAsync(Request(aeTitle, address), CancellationToken.None);

        Assert.True(decision.IsAccepted);
    }

    [Theory]
    [InlineData("SITE101_PACS", "10.102.4.20")]
    [InlineData("SITE101_PACS", "127.0.0.1")]
    [InlineData("SITE101_PACS", "2001:db8:102::42")]
    [InlineData("SITE101_CT", "192.0.2.10")]
    public async Task A_registered_AE_title_from_elsewhere_is_rejected_as_unrecognised(string aeTitle, string address)
    {
        var decision = await _channel.EvaluateAsync(Request(aeTitle, address), CancellationToken.None);

        Assert.Equal(DicomAssociationDecision.RejectCallingAeTitle, decision);
    }

    [Theory]
    [InlineData("10.300.0.0/16")]
    // Short IPv4 forms parse in .NET as inet_aton reads them ("10.1" is 10.0.0.1): a typo must not become another network.
    [InlineData("10.101.0/16")]
    [InlineData("10.1/32")]
    public void A_network_that_is_not_CIDR_is_refused_with_its_text(string network)
    {
        var error = Assert.Throws<ArgumentException>(() => SenderNetworks.Parse(["10.101.0.0/16", network]));

        Assert.Contains($"'{network}'", error.Message);
    }

    [Fact]
    public void No_networks_means_this_machine_only()
    {
        var networks = SenderNetworks.Parse([]);

        Assert.True(networks.Contains(IPAddress.Loopback));
        Assert.False(networks.Contains(IPAddress.Parse("10.0.0.1")));
    }

    [Fact]
    public async Task A_change_of_a_senders_networks_is_followed_once_the_short_cache_lifetime_has_passed()
    {
        Assert.True((await _channel.EvaluateAsync(Request("SITE101_PACS", "10.101.4.20"), CancellationToken.None)).IsAccepted);
        await using (var db = _harness.Db())
        {
            var site = await db.Sites.Include(s => s.AeTitles).SingleAsync(s => s.Id == _harness.SiteId);
            site.ReplaceSenders(["SITE101_PACS", "SITE101_CT"], ["10.201.0.0/16"]);
            await db.SaveChangesAsync();
        }

        // Within the lifetime the channel may still answer from what it looked up; past it, the database decides.
        _harness.Clock.Advance(DicomPushChannel.SenderCacheLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(DicomAssociationDecision.RejectCallingAeTitle, await _channel.EvaluateAsync(Request("SITE101_PACS", "10.101.4.20"), CancellationToken.None));
        Assert.True((await _channel.EvaluateAsync(Request("SITE101_PACS", "10.201.9.9"), CancellationToken.None)).IsAccepted);
    }

    [Fact]
    public async Task A_removed_AE_title_is_refused_once_the_cache_lifetime_has_passed()
    {
        Assert.True((await _channel.EvaluateAsync(Request("SITE101_CT", "127.0.0.1"), CancellationToken.None)).IsAccepted);
        await using (var db = _harness.Db())
        {
            var site = await db.Sites.Include(s => s.AeTitles).SingleAsync(s => s.Id == _harness.SiteId);
            site.ReplaceSenders(["SITE101_PACS"], ["10.101.0.0/16"]);
            await db.SaveChangesAsync();
        }

        _harness.Clock.Advance(DicomPushChannel.SenderCacheLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(DicomAssociationDecision.RejectCallingAeTitle, await _channel.EvaluateAsync(Request("SITE101_CT", "127.0.0.1"), CancellationToken.None));
    }

    [Theory]
    [InlineData("3a7b0c915e22d4f0186a9bc347e5028df16c33a90eb754c82d917fe60a4b15d2", true)]
    [InlineData("3A7B0C915E22D4F0186A9BC347E5028DF16C33A90EB754C82D917FE60A4B15D2", true)]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000ff", false)]
    [InlineData(null, false)]
    public async Task A_site_with_a_pinned_client_certificate_is_accepted_only_with_that_certificate(string? presented, bool accepted)
    {
        await using (var db = _harness.Db())
        {
            var site = await db.Sites.SingleAsync(s => s.Id == _harness.SiteId);
            site.PinClientCertificate("3a7b0c915e22d4f0186a9bc347e5028df16c33a90eb754c82d917fe60a4b15d2");
            await db.SaveChangesAsync();
        }

        var decision = await _channel.EvaluateAsync(Request("SITE101_PACS", "10.101.4.20") with { ClientCertificateSha256 = presented }, CancellationToken.None);

        Assert.Equal(accepted, decision.IsAccepted);
    }

    [Fact]
    public async Task The_TLS_handshake_accepts_a_certificate_only_a_site_pins_and_no_certificate_unless_one_is_required()
    {
        using var pinned = TestCertificates.SelfSigned("site101-pacs");
        using var stranger = TestCertificates.SelfSigned("stranger");
        await using (var db = _harness.Db())
        {
            var site = await db.Sites.SingleAsync(s => s.Id == _harness.SiteId);
            site.PinClientCertificate(Convert.ToHexStringLower(SHA256.HashData(pinned.RawData)));
            await db.SaveChangesAsync();
        }
        var optional = new PinnedClientCertificates(_harness.Database, _harness.Clock, requireCertificate: false);
        var required = new PinnedClientCertificates(_harness.Database, _harness.Clock, requireCertificate: true);
        const System.Net.Security.SslPolicyErrors untrusted = System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;

        Assert.True(optional.Validate(this, pinned, null, untrusted));
        Assert.False(optional.Validate(this, stranger, null, untrusted));
        Assert.True(optional.Validate(this, stranger, null, System.Net.Security.SslPolicyErrors.None));
        Assert.True(optional.Validate(this, null, null, System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.False(required.Validate(this, null, null, System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    private static DicomAssociationRequest Request(string aeTitle, string address) =>
        new(Guid.NewGuid(), aeTitle, "TRIALFLOW", new IPEndPoint(IPAddress.Parse(address), 40000));
}
