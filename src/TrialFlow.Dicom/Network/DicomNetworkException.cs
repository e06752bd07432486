namespace TrialFlow.Dicom.Network;

/// <summary>An association could not be used: rejected, aborted, timed out or broken by the peer.</summary>
public class DicomNetworkException(string message, Exception? inner = null) : DicomException(message, inner);

/// <summary>The peer answered our A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ.</summary>
public sealed class DicomAssociationRejectedException(DicomRejectResult result, DicomRejectSource source, DicomRejectReason reason)
    : DicomNetworkException($"association rejected: result {(byte)result} ({result}), source {(byte)source} ({source}), reason {(byte)reason}")
{
    public DicomRejectResult Result { get; } = result;
    public DicomRejectSource RejectSource { get; } = source;
    public DicomRejectReason Reason { get; } = reason;
}

/// <summary>The association was aborted (by the peer's A-ABORT, or by us after a protocol error).</summary>
public sealed class DicomAssociationAbortedException(DicomAbortSource source, DicomAbortReason reason, string? detail = null)
    : DicomNetworkException($"association aborted: source {(byte)source} ({source}), reason {(byte)reason} ({reason})" + (detail is null ? "" : $": {detail}"))
{
    public DicomAbortSource AbortSource { get; } = source;
    public DicomAbortReason Reason { get; } = reason;
}

/// <summary>
/// Thrown by an <see cref="IDicomStoreHandler"/> or its sink to refuse an instance with a chosen DIMSE status
/// (PS3.4 B.2.3, e.g. <see cref="DicomStatus.OutOfResources"/>); the SCP answers the C-STORE with it and keeps the association.
/// </summary>
public sealed class DicomStoreException(DicomStatus status, string comment, Exception? inner = null) : DicomException(comment, inner)
{
    public DicomStatus Status { get; } = status;
}

/// <summary>A PDU broke PS3.8: the association is aborted with this reason (internal; never leaves the upper layer).</summary>
internal sealed class DicomPduException(DicomAbortReason reason, string message) : Exception(message)
{
    public DicomAbortReason Reason { get; } = reason;
}
