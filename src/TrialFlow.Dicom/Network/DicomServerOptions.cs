using System.Security.Cryptography.X509Certificates;

namespace TrialFlow.Dicom.Network;

/// <summary>How a <see cref="DicomServer"/> listens and negotiates. Bindable from configuration.</summary>
public sealed class DicomServerOptions
{
    /// <summary>
    /// Address to listen on, as text so it binds from configuration: "0.0.0.0" (default, all IPv4 interfaces), "::"
    /// (IPv6 and IPv4), "127.0.0.1", …
    /// </summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>TCP port; 0 picks a free port (see <see cref="DicomServer.LocalEndPoint"/>). Default 11112 (PS3.15 registered DICOM port).</summary>
    public int Port { get; set; } = 11112;

    /// <summary>Our AE title.</summary>
    public string AeTitle { get; set; } = "TRIALFLOW";

    /// <summary>Further AE titles this server answers to, e.g. one whose associations mean something else to the handler.</summary>
    public IList<string> AdditionalAeTitles { get; set; } = [];

    /// <summary>Reject (called AE title not recognized) requests whose called AE title is neither <see cref="AeTitle"/> nor one of <see cref="AdditionalAeTitles"/>.</summary>
    public bool RequireCalledAeTitle { get; set; } = true;

    /// <summary>Associations served at once; beyond it requests are rejected as transient (local limit exceeded).</summary>
    public int MaxAssociations { get; set; } = 32;

    /// <summary>Maximum PDU length we announce (PS3.8 D.1) and the largest PDU we accept; bigger ones are aborted.</summary>
    public uint MaxPduLength { get; set; } = 256 * 1024;

    /// <summary>ARTIM (PS3.8 9.1.5): the TLS handshake and the A-ASSOCIATE-RQ must arrive within it; also bounds the release and abort handshakes.</summary>
    public TimeSpan ArtimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An associated peer that sends no complete PDU for this long is aborted.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Transfer syntaxes accepted, in order of preference (first proposed match wins per context's order of this list).</summary>
    public IList<string> TransferSyntaxes { get; set; } = [.. DicomServerDefaults.TransferSyntaxes];

    /// <summary>Abstract syntaxes accepted: Verification and every storage SOP class of PS3.4 by default.</summary>
    public ISet<string> SopClasses { get; set; } = new HashSet<string>(DicomServerDefaults.SopClasses, StringComparer.Ordinal);

    /// <summary>Serve DICOM over TLS (PS3.15 B.1) when set.</summary>
    public DicomTlsOptions? Tls { get; set; }
}

/// <summary>The server certificate for DICOM over TLS.</summary>
public sealed class DicomTlsOptions
{
    /// <summary>A PKCS#12 file holding the certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>A certificate given directly (takes precedence over the path).</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Ask the peer for a client certificate (validated by the platform's chain policy).</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>
    /// Decides on the peer's certificate instead of the platform's chain policy, e.g. accepting a site's self-signed
    /// certificate because its SHA-256 is registered for the site. With it set, the server always asks for a certificate;
    /// the callback sees a null certificate when the peer sent none, and says whether that is acceptable. The association
    /// policy then sees the certificate's SHA-256 (<see cref="DicomAssociationRequest.ClientCertificateSha256"/>).
    /// </summary>
    public System.Net.Security.RemoteCertificateValidationCallback? ClientCertificateValidation { get; set; }

    internal X509Certificate2 LoadCertificate() =>
        CertificatePath is { } path
            ? X509CertificateLoader.LoadPkcs12FromFile(path, CertificatePassword)
            : throw new InvalidOperationException("DICOM TLS needs a certificate: set Certificate or CertificatePath");
}

/// <summary>The well-known UIDs the server accepts by default.</summary>
public static class DicomServerDefaults
{
    /// <summary>Verification SOP Class (PS3.4 A.4).</summary>
    public const string VerificationSopClassUid = "1.2.840.10008.1.1";

    /// <summary>
    /// Compressed syntaxes first, so a sender that offers its own compressed encoding has it accepted as-is (no
    /// decompression, no re-encoding at the sender): lossless before lossy. Then the native syntaxes, Explicit before
    /// Implicit VR Little Endian; deflate and the retired big endian last.
    /// </summary>
    public static IReadOnlyList<string> TransferSyntaxes { get; } =
    [
        "1.2.840.10008.1.2.4.70",   // JPEG Lossless SV1
        "1.2.840.10008.1.2.4.57",   // JPEG Lossless
        "1.2.840.10008.1.2.4.80",   // JPEG-LS Lossless
        "1.2.840.10008.1.2.4.90",   // JPEG 2000 Lossless
        "1.2.840.10008.1.2.4.92",   // JPEG 2000 Part 2 Lossless
        "1.2.840.10008.1.2.4.201",  // HTJ2K Lossless
        "1.2.840.10008.1.2.4.202",  // HTJ2K RPCL Lossless
        "1.2.840.10008.1.2.5",      // RLE Lossless
        "1.2.840.10008.1.2.4.50",   // JPEG Baseline
        "1.2.840.10008.1.2.4.51",   // JPEG Extended
        "1.2.840.10008.1.2.4.81",   // JPEG-LS Near-Lossless
        "1.2.840.10008.1.2.4.91",   // JPEG 2000
        "1.2.840.10008.1.2.4.93",   // JPEG 2000 Part 2
        "1.2.840.10008.1.2.4.203",  // HTJ2K
        "1.2.840.10008.1.2.1",      // Explicit VR Little Endian
        "1.2.840.10008.1.2",        // Implicit VR Little Endian
        "1.2.840.10008.1.2.1.99",   // Deflated Explicit VR Little Endian
        "1.2.840.10008.1.2.2",      // Explicit VR Big Endian (retired)
    ];

    /// <summary>Verification plus every storage SOP class of the standard (generated from sops.json).</summary>
    public static IReadOnlyList<string> SopClasses { get; } =
        [VerificationSopClassUid, .. DicomDictionaryData.StorageSopClasses.Select(s => s.Uid)];
}
