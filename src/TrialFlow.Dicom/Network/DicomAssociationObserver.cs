using System.Net;

namespace TrialFlow.Dicom.Network;

/// <summary>How an association on the SCP ended.</summary>
public enum DicomAssociationOutcome
{
    /// <summary>The peer released it (A-RELEASE-RQ / RP).</summary>
    Released,
    /// <summary>We answered A-ASSOCIATE-RJ (policy, called AE title, protocol version, load).</summary>
    Rejected,
    /// <summary>The peer sent A-ABORT.</summary>
    AbortedByPeer,
    /// <summary>We sent A-ABORT after a protocol error.</summary>
    ProtocolError,
    /// <summary>No association request within ARTIM, or no PDU within the idle timeout.</summary>
    TimedOut,
    /// <summary>The connection closed or broke without release (including TLS failures).</summary>
    ConnectionLost,
    /// <summary>The server was stopping.</summary>
    ServerStopping,
}

/// <summary>What happened on one connection, reported when it closes (for audit and site monitoring).</summary>
/// <param name="AssociationId">Same id as in <see cref="DicomAssociationRequest"/> and <see cref="DicomStoreRequest"/>.</param>
/// <param name="RemoteEndPoint">The peer.</param>
/// <param name="CallingAeTitle">Empty when no A-ASSOCIATE-RQ was read.</param>
/// <param name="CalledAeTitle">Empty when no A-ASSOCIATE-RQ was read.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">Why, in words (rejection reason, protocol error, timeout).</param>
/// <param name="InstancesStored">C-STOREs answered with success.</param>
/// <param name="InstancesFailed">C-STOREs answered with a failure status.</param>
/// <param name="Started">When the connection was accepted.</param>
/// <param name="Ended">When it closed.</param>
public sealed record DicomAssociationSummary(
    Guid AssociationId, IPEndPoint RemoteEndPoint, string CallingAeTitle, string CalledAeTitle, DicomAssociationOutcome Outcome,
    string? Detail, int InstancesStored, int InstancesFailed, DateTimeOffset Started, DateTimeOffset Ended);

/// <summary>Told about every connection the SCP served, once it has closed. Failures here are logged and ignored.</summary>
public interface IDicomAssociationObserver
{
    ValueTask OnAssociationEndedAsync(DicomAssociationSummary summary, CancellationToken cancellationToken);
}
