using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace TrialFlow.Dicom.Network;

/// <summary>Query/Retrieve as a service class user: C-FIND, C-MOVE and C-GET, each cancellable with C-CANCEL (PS3.4 C.4, PS3.7 9.1.2–9.1.4).</summary>
public sealed partial class DicomClientAssociation
{
    /// <summary>How long a peer may take to end an operation once it was asked to cancel it, before the association is aborted.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends a C-FIND and yields each match as the peer sends it. Ends when the peer reports success (or that it cancelled);
    /// a failure status is a <see cref="DicomQueryException"/>. Stopping early (a <c>break</c>, the token) sends C-CANCEL
    /// and waits for the peer to end the query, so the association can be used again.
    /// </summary>
    public async IAsyncEnumerable<DicomDataset> FindAsync(string sopClassUid, DicomDataset identifier, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var context = QueryContext(sopClassUid);
        var messageId = _nextMessageId++;
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CFindRequest, MessageId = messageId, AffectedSopClassUid = sopClassUid, Priority = 0, CommandDataSetType = 0x0000,
        };
        var bytes = DimseDataSet.Encode(identifier, context.TransferSyntax);
        await SendRequestAsync(context.Id, command, new MemoryStream(bytes, writable: false), bytes.Length, cancellationToken).ConfigureAwait(false);

        var ended = false;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (response, data) = await ReceiveResponseAsync(messageId, CancellationToken.None).ConfigureAwait(false);
                var status = new DicomStatus(response.Status ?? 0xFFFF);
                if (status.IsPending)
                {
                    if (data is not null)
                        yield return DimseDataSet.Decode(data, context.TransferSyntax);
                    continue;
                }

                ended = true;
                if (status.IsSuccess || status.Code == 0xFE00)
                    yield break;
                throw new DicomQueryException("C-FIND", status, response.ErrorComment);
            }
        }
        finally
        {
            if (!ended && !_closed)
                await CancelAndDrainAsync(context.Id, messageId).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks the peer to send what <paramref name="identifier"/> names to <paramref name="destinationAeTitle"/> (a C-MOVE;
    /// the peer opens its own association to that AE), reporting each pending response's counts. The token sends
    /// C-CANCEL; the peer then ends with status 0xFE00 and what it had sent so far.
    /// </summary>
    public async Task<DicomRetrieveResult> MoveAsync(string sopClassUid, DicomDataset identifier, string destinationAeTitle,
        IProgress<DicomRetrieveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var context = QueryContext(sopClassUid);
        var messageId = _nextMessageId++;
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CMoveRequest, MessageId = messageId, AffectedSopClassUid = sopClassUid, Priority = 0,
            CommandDataSetType = 0x0000, MoveDestination = destinationAeTitle,
        };
        var bytes = DimseDataSet.Encode(identifier, context.TransferSyntax);
        await SendRequestAsync(context.Id, command, new MemoryStream(bytes, writable: false), bytes.Length, cancellationToken).ConfigureAwait(false);

        // Cancelling does not stop reading: the peer answers C-CANCEL with a final response, which is the result.
        var cancelSent = 0;
        await using var registration = cancellationToken.Register(() =>
        {
            if (Interlocked.Exchange(ref cancelSent, 1) == 0)
                _ = SendCancelAsync(context.Id, messageId);
        }).ConfigureAwait(false);
        while (true)
        {
            var (response, data) = await ReceiveResponseAsync(messageId, CancellationToken.None).ConfigureAwait(false);
            var status = new DicomStatus(response.Status ?? 0xFFFF);
            var counts = new DicomRetrieveProgress(response.RemainingSuboperations ?? 0, response.CompletedSuboperations ?? 0,
                response.FailedSuboperations ?? 0, response.WarningSuboperations ?? 0);
            if (status.IsPending)
            {
                progress?.Report(counts);
                continue;
            }

            return new DicomRetrieveResult(status, counts.Completed, counts.Failed, counts.Warning, FailedUids(response, data, context), response.ErrorComment);
        }
    }

    /// <summary>
    /// Retrieves what <paramref name="identifier"/> names on this association (a C-GET): the peer sends each instance as a
    /// C-STORE sub-operation on a storage context this association proposed with the SCP role, which goes to
    /// <paramref name="store"/> and is acknowledged once its sink committed (a refusal answers the peer with the status
    /// the handler chose). For PACS that cannot open an association back to us (no C-MOVE route). The token sends C-CANCEL.
    /// </summary>
    public async Task<DicomRetrieveResult> GetAsync(string sopClassUid, DicomDataset identifier, IDicomStoreHandler store,
        IProgress<DicomRetrieveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var context = QueryContext(sopClassUid);
        var messageId = _nextMessageId++;
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CGetRequest, MessageId = messageId, AffectedSopClassUid = sopClassUid, Priority = 0, CommandDataSetType = 0x0000,
        };
        var bytes = DimseDataSet.Encode(identifier, context.TransferSyntax);
        await SendRequestAsync(context.Id, command, new MemoryStream(bytes, writable: false), bytes.Length, cancellationToken).ConfigureAwait(false);

        var cancelSent = 0;
        await using var registration = cancellationToken.Register(() =>
        {
            if (Interlocked.Exchange(ref cancelSent, 1) == 0)
                _ = SendCancelAsync(context.Id, messageId);
        }).ConfigureAwait(false);
        while (true)
        {
            var (contextId, message, data) = await ReceiveMessageAsync(CancellationToken.None).ConfigureAwait(false);
            if (message.CommandField == DimseCommandField.CStoreRequest)
            {
                await AnswerStoreAsync(contextId, message, data, store).ConfigureAwait(false);
                continue;
            }
            if (message.CommandField != DimseCommandField.CGetResponse || message.MessageIdBeingRespondedTo != messageId)
                continue;

            var status = new DicomStatus(message.Status ?? 0xFFFF);
            var counts = new DicomRetrieveProgress(message.RemainingSuboperations ?? 0, message.CompletedSuboperations ?? 0,
                message.FailedSuboperations ?? 0, message.WarningSuboperations ?? 0);
            if (status.IsPending)
            {
                progress?.Report(counts);
                continue;
            }

            return new DicomRetrieveResult(status, counts.Completed, counts.Failed, counts.Warning, FailedUids(message, data, context), message.ErrorComment);
        }
    }

    // One C-GET sub-operation: the instance goes to the host's sink; the C-STORE-RSP says whether it was committed.
    private async Task AnswerStoreAsync(byte contextId, DimseCommand request, byte[]? dataSet, IDicomStoreHandler store)
    {
        var status = DicomStatus.Success;
        string? comment = null;
        try
        {
            var context = AcceptedContexts.FirstOrDefault(c => c.Id == contextId)
                ?? throw new DicomStoreException(DicomStatus.SopClassNotSupported, $"no presentation context {contextId} was accepted");
            var syntax = DicomTransferSyntax.Find(context.TransferSyntax)
                ?? throw new DicomStoreException(DicomStatus.CannotUnderstand, $"unknown transfer syntax {context.TransferSyntax}");
            var storeRequest = new DicomStoreRequest(_associationId, _options.CalledAeTitle, _options.CallingAeTitle, RemoteEndPoint, request.MessageId,
                request.AffectedSopClassUid ?? "", request.AffectedSopInstanceUid ?? "", syntax, null);
            var sink = await store.BeginStoreAsync(storeRequest, CancellationToken.None).ConfigureAwait(false);
            await using (sink.ConfigureAwait(false))
            {
                await sink.WriteAsync(dataSet ?? [], CancellationToken.None).ConfigureAwait(false);
                await sink.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (DicomStoreException ex)
        {
            (status, comment) = (ex.Status, ex.Message);
        }
        catch (IOException ex)
        {
            (status, comment) = (DicomStatus.OutOfResources, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            (status, comment) = (DicomStatus.ProcessingFailure, ex.Message);
        }

        if (!status.IsSuccess)
            _logger.LogWarning("C-GET sub-operation for {Instance} answered {Status}: {Comment}", request.AffectedSopInstanceUid, status, comment);
        var response = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreResponse, MessageIdBeingRespondedTo = request.MessageId, AffectedSopClassUid = request.AffectedSopClassUid,
            AffectedSopInstanceUid = request.AffectedSopInstanceUid, Status = status.Code, ErrorComment = comment,
        };
        await SendRequestAsync(contextId, response, null, 0, CancellationToken.None).ConfigureAwait(false);
    }

    // The failed-instance list travels in the final response's data set (PS3.4 C.4.2.1.7), or, from dcmtk-based PACS, in
    // its command set.
    private static IReadOnlyList<string> FailedUids(DimseCommand response, byte[]? data, DicomPresentationContext context) =>
        data is not null
            ? DimseDataSet.Decode(data, context.TransferSyntax).GetStrings(DicomTags.FailedSOPInstanceUIDList)
            : response.FailedSopInstanceUids;

    private DicomPresentationContext QueryContext(string sopClassUid) =>
        AcceptedContexts.FirstOrDefault(c => c.AbstractSyntax == sopClassUid)
        ?? throw new DicomNetworkException($"the peer did not accept SOP class {sopClassUid}");

    private Task SendCancelAsync(byte contextId, ushort messageId) =>
        SendRequestAsync(contextId, new DimseCommand { CommandField = DimseCommandField.CCancelRequest, MessageIdBeingRespondedTo = messageId }, null, 0, CancellationToken.None);

    // After C-CANCEL the peer still sends what it had in flight, then a final status; until then the association is busy.
    private async Task CancelAndDrainAsync(byte contextId, ushort messageId)
    {
        try
        {
            await SendCancelAsync(contextId, messageId).ConfigureAwait(false);
            using var grace = new CancellationTokenSource(CancelGrace, _time);
            while (true)
            {
                var (response, _) = await ReceiveResponseAsync(messageId, grace.Token).ConfigureAwait(false);
                if (!new DicomStatus(response.Status ?? 0xFFFF).IsPending)
                    return;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or DicomNetworkException or IOException)
        {
            _logger.LogWarning("The peer did not end a cancelled query within {Seconds} s ({Message}); the association is aborted", CancelGrace.TotalSeconds, ex.Message);
            await AbortAsync().ConfigureAwait(false);
        }
    }
}
