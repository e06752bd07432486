using System.Net;

namespace TrialFlow.Dicom.Network;

/// <summary>What the SCP knows about one incoming C-STORE when it asks the host for a destination.</summary>
/// <param name="AssociationId">The association this instance arrives on.</param>
/// <param name="CallingAeTitle">The sender's AE title.</param>
/// <param name="CalledAeTitle">The AE title the sender called.</param>
/// <param name="RemoteEndPoint">The sender's address.</param>
/// <param name="MessageId">The C-STORE-RQ message ID.</param>
/// <param name="SopClassUid">(0000,0002) Affected SOP Class UID.</param>
/// <param name="SopInstanceUid">(0000,1000) Affected SOP Instance UID.</param>
/// <param name="TransferSyntax">The transfer syntax negotiated for the presentation context: the encoding of the bytes that follow.</param>
/// <param name="MoveOriginatorAeTitle">(0000,1030) when the store is a C-MOVE sub-operation.</param>
/// <param name="MoveOriginatorMessageId">(0000,1031): the message id of the C-MOVE-RQ that caused this sub-operation.</param>
public sealed record DicomStoreRequest(
    Guid AssociationId, string CallingAeTitle, string CalledAeTitle, IPEndPoint RemoteEndPoint, ushort MessageId,
    string SopClassUid, string SopInstanceUid, DicomTransferSyntax TransferSyntax, string? MoveOriginatorAeTitle,
    ushort? MoveOriginatorMessageId = null);

/// <summary>
/// Receives incoming C-STOREs. The SCP never parses the dataset: it streams the PDV bytes into the sink the handler
/// returns, then calls <see cref="IDicomStoreSink.CommitAsync"/> and sends the C-STORE-RSP (success) only after it returns.
/// Throw <see cref="DicomStoreException"/> (from here or from the sink) to answer with a specific failure status;
/// an <see cref="IOException"/> answers 0xA700 (out of resources), anything else 0x0110 (processing failure).
/// </summary>
public interface IDicomStoreHandler
{
    ValueTask<IDicomStoreSink> BeginStoreAsync(DicomStoreRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Where one instance's dataset bytes go, in the negotiated transfer syntax, without File Meta Information
/// (<see cref="DicomPart10.CreateFileMetaInformation"/> makes the header a Part 10 file needs).
/// Disposing without a successful commit means the instance was not acknowledged and must be discarded.
/// </summary>
public interface IDicomStoreSink : IAsyncDisposable
{
    /// <summary>Appends the next bytes of the dataset; the memory is only valid during the call.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetBytes, CancellationToken cancellationToken);

    /// <summary>The whole dataset has arrived: make it durable. The SCP acknowledges the C-STORE when this returns.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
