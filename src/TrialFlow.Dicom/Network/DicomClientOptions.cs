using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TrialFlow.Dicom.Network;

/// <summary>How a <see cref="DicomClient"/> associates with a peer.</summary>
public sealed class DicomClientOptions
{
    /// <summary>Our AE title.</summary>
    public string CallingAeTitle { get; set; } = "TRIALFLOW";

    /// <summary>The peer's AE title.</summary>
    public string CalledAeTitle { get; set; } = "ANY-SCP";

    /// <summary>Maximum PDU length we announce for what the peer sends us.</summary>
    public uint MaxPduLength { get; set; } = 256 * 1024;

    /// <summary>
    /// Cap on the PDUs we send, below what the peer announces (0 = the peer's limit alone). Lets tests force many
    /// small P-DATA-TF PDUs.
    /// </summary>
    public uint MaxSendPduLength { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the A-ASSOCIATE-AC, a DIMSE response or the A-RELEASE-RP.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Use DICOM over TLS when set.</summary>
    public DicomClientTlsOptions? Tls { get; set; }
}

/// <summary>TLS settings for the client side.</summary>
public sealed class DicomClientTlsOptions
{
    /// <summary>The name the server certificate must carry; default the host name connected to.</summary>
    public string? TargetHost { get; set; }

    /// <summary>Certificate validation; null uses the platform's chain validation.</summary>
    public RemoteCertificateValidationCallback? RemoteCertificateValidation { get; set; }

    /// <summary>Client certificate for servers that ask for one.</summary>
    public X509Certificate2? ClientCertificate { get; set; }
}

/// <summary>A presentation context we propose: an abstract syntax and the transfer syntaxes we can send it in.</summary>
/// <param name="ProposeScpRole">Propose to act as SCP for this SOP class (role selection): storage classes a C-GET brings back.</param>
public sealed record DicomProposedContext(string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes, bool ProposeScpRole = false);

/// <summary>A presentation context the peer accepted, with the transfer syntax it chose.</summary>
public sealed record DicomPresentationContext(byte Id, string AbstractSyntax, string TransferSyntax);

/// <summary>The outcome of sending one file: the peer's status, or why nothing was sent.</summary>
/// <param name="Path">The file.</param>
/// <param name="SopInstanceUid">Its SOP Instance UID, when the file could be read.</param>
/// <param name="Status">The C-STORE-RSP status; null when the file was not sent.</param>
/// <param name="ErrorComment">(0000,0902) from the response, or why the file was not sent.</param>
public sealed record DicomStoreResult(string Path, string? SopInstanceUid, DicomStatus? Status, string? ErrorComment)
{
    public bool IsSuccess => Status is { IsSuccess: true };
}
