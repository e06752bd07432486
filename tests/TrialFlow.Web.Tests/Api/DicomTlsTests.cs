using System.Security.Cryptography.X509Certificates;

namespace TrialFlow.Web.Tests.Api;

/// <summary>DICOM push over TLS (PS3.15 B.1), configured in the host with a PKCS#12 certificate file.</summary>
[Collection(HostProcessCollection.Name)]
[Trait("Category", "Slow")]
public sealed class DicomTlsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("trialflow-tls-").FullName;

    [Fact]
    public async Task A_host_configured_for_TLS_serves_DICOM_only_over_TLS()
    {
        using var certificate = TestCertificates.SelfSigned("localhost");
        var pfx = Path.Combine(_root, "dicom.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "s3cret"));
        var tls = new DicomClientTlsOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidation = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString(),
        };

        using var host = await HostProcess.StartAsync(Path.Combine(_root, "data"), "NORDSTADT_CT",
            new Dictionary<string, string> { ["TrialFlow__Dicom__Tls__CertificatePath"] = pfx, ["TrialFlow__Dicom__Tls__CertificatePassword"] = "s3cret", ["TrialFlow__Dicom__ArtimSeconds"] = "2" },
            tls);

        var overTls = new DicomClient("127.0.0.1", host.DicomPort, new DicomClientOptions { CallingAeTitle = "NORDSTADT_CT", CalledAeTitle = "TRIALFLOW", Tls = tls });
        Assert.Equal(DicomStatus.Success, await overTls.EchoAsync());
        var plain = new DicomClient("127.0.0.1", host.DicomPort, new DicomClientOptions { CallingAeTitle = "NORDSTADT_CT", CalledAeTitle = "TRIALFLOW", ResponseTimeout = TimeSpan.FromSeconds(10) });
        await Assert.ThrowsAnyAsync<DicomNetworkException>(() => plain.EchoAsync());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
