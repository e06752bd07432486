using System.Security.Cryptography;

namespace TrialFlow.Retrieval.Tests.Jobs;

public sealed class PacsEndpointTests
{
    [Theory]
    [InlineData("ORTHANC@pacs.hospital.example:104", "ORTHANC", "pacs.hospital.example", 104)]
    [InlineData("PACS_1@10.0.0.5:11112", "PACS_1", "10.0.0.5", 11112)]
    public void Ae_at_host_port_is_read(string text, string ae, string host, int port) =>
        Assert.Equal(new PacsEndpoint(ae, host, port, "TRIALFLOW", null), PacsEndpoint.ParseDimse(text, "TRIALFLOW"));

    [Theory]
    [InlineData("pacs.example:104", "is not AE@HOST:PORT")]
    [InlineData("ORTHANC@pacs.example", "is not AE@HOST:PORT")]
    [InlineData("ORTHANC@pacs.example:1o4", "\"1o4\" in \"ORTHANC@pacs.example:1o4\" is not a port number")]
    [InlineData("ORTHANC@pacs.example:70000", "70000 is not a TCP port")]
    [InlineData("A_TITLE_MUCH_TOO_LONG@pacs:104", "must be 1 to 16 characters")]
    public void A_wrong_pacs_is_named_with_what_is_wrong(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => PacsEndpoint.ParseDimse(text, "TRIALFLOW")).Message);

    [Fact]
    public void Each_method_names_what_it_needs_from_the_endpoint()
    {
        var dimseOnly = new PacsEndpoint("ORTHANC", "pacs", 104, "TRIALFLOW", null);
        var webOnly = new PacsEndpoint(null, null, null, "TRIALFLOW", "https://pacs/dicom-web/");

        Assert.Null(dimseOnly.ProblemFor(PullMethod.Move));
        Assert.Equal("a DICOMweb pull needs the PACS's DICOMweb URL", dimseOnly.ProblemFor(PullMethod.DicomWeb));
        Assert.Equal("a C-GET pull needs the PACS's AE title, host and port", webOnly.ProblemFor(PullMethod.Get));
        Assert.Equal("https://pacs/dicom-web/", PacsEndpoint.NormalizeUrl(" https://pacs/dicom-web "));
    }

    [Fact]
    public void A_sealed_identifier_opens_only_under_its_own_key_and_unaltered()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var sealedUid = new IdentifierSeal(key).Seal("1.2.826.0.1.3680043.8.498.1");

        Assert.Equal("1.2.826.0.1.3680043.8.498.1", new IdentifierSeal(key).Open(sealedUid));
        Assert.DoesNotContain("1.2.826", System.Text.Encoding.ASCII.GetString(sealedUid));
        Assert.ThrowsAny<CryptographicException>(() => new IdentifierSeal(RandomNumberGenerator.GetBytes(32)).Open(sealedUid));
        sealedUid[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => new IdentifierSeal(key).Open(sealedUid));
    }
}
