namespace TrialFlow.Dicom.Network;

/// <summary>Who aborted an association (PS3.8 9.3.8, A-ABORT source field).</summary>
public enum DicomAbortSource : byte
{
    ServiceUser = 0,
    ServiceProvider = 2,
}

/// <summary>Why the service provider aborted (PS3.8 9.3.8); meaningful only when the source is the service provider.</summary>
public enum DicomAbortReason : byte
{
    NotSpecified = 0,
    UnrecognizedPdu = 1,
    UnexpectedPdu = 2,
    UnrecognizedPduParameter = 4,
    UnexpectedPduParameter = 5,
    InvalidPduParameterValue = 6,
}

/// <summary>A-ASSOCIATE-RJ result (PS3.8 9.3.4).</summary>
public enum DicomRejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}

/// <summary>A-ASSOCIATE-RJ source (PS3.8 9.3.4).</summary>
public enum DicomRejectSource : byte
{
    ServiceUser = 1,
    ServiceProviderAcse = 2,
    ServiceProviderPresentation = 3,
}

/// <summary>
/// A-ASSOCIATE-RJ reason (PS3.8 9.3.4). The code's meaning depends on the source, so some names share a value:
/// 2 is "application context name not supported" from the service user and "protocol version not supported" from
/// the ACSE service provider; for the presentation service provider 1 is "temporary congestion", 2 "local limit exceeded".
/// </summary>
public enum DicomRejectReason : byte
{
    NoReasonGiven = 1,
    ApplicationContextNameNotSupported = 2,
    CallingAeTitleNotRecognized = 3,
    CalledAeTitleNotRecognized = 7,
    ProtocolVersionNotSupported = 2,
    TemporaryCongestion = 1,
    LocalLimitExceeded = 2,
}

/// <summary>Result of one presentation context in an A-ASSOCIATE-AC (PS3.8 9.3.3.2).</summary>
public enum DicomPresentationContextResult : byte
{
    Acceptance = 0,
    UserRejection = 1,
    NoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
}

internal enum PduType : byte
{
    AssociateRequest = 1,
    AssociateAccept = 2,
    AssociateReject = 3,
    PData = 4,
    ReleaseRequest = 5,
    ReleaseResponse = 6,
    Abort = 7,
}
