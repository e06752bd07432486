using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace TrialFlow.Dicom.Network;

/// <summary>Query/Retrieve as a service class user: C-FIND and C-MOVE, each cancellable with C-CANCEL (PS3.4 C.4, PS3.7 9.1.2–9.1.4).</summary>
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

            var failedUids = data is null ? [] : DimseDataSet.Decode(data, context.TransferSyntax).GetStrings(DicomTags.FailedSOPInstanceUIDList);
            return new DicomRetrieveResult(status, counts.Completed, counts.Failed, counts.Warning, failedUids, response.ErrorComment);
        }
    }

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
