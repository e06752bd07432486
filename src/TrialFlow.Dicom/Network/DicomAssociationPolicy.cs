using System.Net;

namespace TrialFlow.Dicom.Network;

/// <summary>What an SCP knows about an association request when it decides whether to accept it.</summary>
/// <param name="AssociationId">Identifies the association in logs and in the store handler's requests.</param>
/// <param name="CallingAeTitle">The peer's AE title (trimmed).</param>
/// <param name="CalledAeTitle">The AE title the peer asked for (trimmed).</param>
/// <param name="RemoteEndPoint">The peer's address and port.</param>
/// <param name="ClientCertificateSha256">
/// SHA-256 over the DER bytes of the certificate the peer presented in the TLS handshake, lower-case hex; null without TLS
/// or when the peer presented none.
/// </param>
public sealed record DicomAssociationRequest(Guid AssociationId, string CallingAeTitle, string CalledAeTitle, IPEndPoint RemoteEndPoint,
    string? ClientCertificateSha256 = null);

/// <summary>Accept an association request, or reject it with the A-ASSOCIATE-RJ fields of PS3.8 9.3.4.</summary>
public sealed record DicomAssociationDecision
{
    private DicomAssociationDecision(bool accepted, DicomRejectResult result, DicomRejectSource source, DicomRejectReason reason)
    {
        IsAccepted = accepted;
        Result = result;
        Source = source;
        Reason = reason;
    }

    public bool IsAccepted { get; }
    public DicomRejectResult Result { get; }
    public DicomRejectSource Source { get; }
    public DicomRejectReason Reason { get; }

    public static DicomAssociationDecision Accept { get; } = new(true, default, default, default);

    public static DicomAssociationDecision Reject(DicomRejectResult result, DicomRejectSource source, DicomRejectReason reason) =>
        new(false, result, source, reason);

    /// <summary>Permanent rejection by the service user: calling AE title not recognized (e.g. no registered site has it).</summary>
    public static DicomAssociationDecision RejectCallingAeTitle { get; } =
        new(false, DicomRejectResult.Permanent, DicomRejectSource.ServiceUser, DicomRejectReason.CallingAeTitleNotRecognized);

    /// <summary>Permanent rejection by the service user: called AE title not recognized.</summary>
    public static DicomAssociationDecision RejectCalledAeTitle { get; } =
        new(false, DicomRejectResult.Permanent, DicomRejectSource.ServiceUser, DicomRejectReason.CalledAeTitleNotRecognized);
}

/// <summary>
/// Decides who may open an association, before any presentation context is looked at. The intake host implements it to
/// require that the calling AE title and source address belong to a registered site.
/// </summary>
public interface IDicomAssociationPolicy
{
    ValueTask<DicomAssociationDecision> EvaluateAsync(DicomAssociationRequest request, CancellationToken cancellationToken);
}

/// <summary>Ready-made policies.</summary>
public static class DicomAssociationPolicies
{
    /// <summary>Accepts every association (tests, trusted networks).</summary>
    public static IDicomAssociationPolicy AcceptAll { get; } = FromDelegate(static (_, _) => ValueTask.FromResult(DicomAssociationDecision.Accept));

    /// <summary>A policy from a function.</summary>
    public static IDicomAssociationPolicy FromDelegate(Func<DicomAssociationRequest, CancellationToken, ValueTask<DicomAssociationDecision>> evaluate) =>
        new DelegatePolicy(evaluate);

    private sealed class DelegatePolicy(Func<DicomAssociationRequest, CancellationToken, ValueTask<DicomAssociationDecision>> evaluate) : IDicomAssociationPolicy
    {
        public ValueTask<DicomAssociationDecision> EvaluateAsync(DicomAssociationRequest request, CancellationToken cancellationToken) =>
            evaluate(request, cancellationToken);
    }
}
