using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace TrialFlow.Dicom.Network;

/// <summary>
/// One association on the SCP side, from the accepted socket to its close: ARTIM-bounded A-ASSOCIATE-RQ, negotiation,
/// then C-ECHO and C-STORE until release, abort, idle timeout or server stop (PS3.8 9.2 state machine, acceptor side).
/// </summary>
internal sealed class DicomScpAssociation(
    Socket socket, DicomServerOptions options, X509Certificate2? certificate, IDicomStoreHandler storeHandler, IDicomAssociationPolicy policy,
    IDicomAssociationObserver? observer, ILogger logger, TimeProvider time, bool overLimit)
{
    private const uint MaxAssociateRequestLength = 1 << 20;
    private const int MaxCommandSetLength = 64 * 1024;

    private readonly Guid _id = Guid.NewGuid();
    private readonly Dictionary<byte, (string AbstractSyntax, DicomTransferSyntax TransferSyntax)> _contexts = [];
    private IPEndPoint _remote = new(IPAddress.None, 0);
    private string _callingAe = "";
    private string _calledAe = "";
    private string? _clientCertificateSha256;
    private uint _peerMaxPdu;
    private PduChannel? _channel;
    private DicomAssociationOutcome _outcome = DicomAssociationOutcome.ConnectionLost;
    private string? _detail;
    private int _stored;
    private int _failed;

    // the DIMSE message being received
    private readonly MemoryStream _command = new();
    private byte _commandContext;
    private DimseCommand? _pending;
    private byte _pendingContext;
    private IDicomStoreSink? _sink;
    private DicomStatus? _failure;
    private string? _failureComment;

    public Guid Id => _id;

    public async Task RunAsync(CancellationToken stopping)
    {
        _remote = socket.RemoteEndPoint as IPEndPoint ?? _remote;
        var startedAt = time.GetUtcNow();
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        var associated = false;
        using var scope = logger.BeginScope("DICOM association {AssociationId} from {Remote}", _id, _remote);
        try
        {
            ReceivedPdu? request;
            var started = time.GetTimestamp();
            using (var artim = new CancellationTokenSource(options.ArtimTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, artim.Token))
            {
                if (options.Tls is { } tls)
                {
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                    stream = ssl;
                    try
                    {
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                        {
                            ServerCertificate = certificate,
                            ClientCertificateRequired = tls.RequireClientCertificate || tls.ClientCertificateValidation is not null,
                            RemoteCertificateValidationCallback = tls.ClientCertificateValidation,
                        }, linked.Token).ConfigureAwait(false);
                        if (ssl.RemoteCertificate is { } presented)
                            _clientCertificateSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(presented.GetRawCertData()));
                    }
                    catch (OperationCanceledException) when (artim.IsCancellationRequested && !stopping.IsCancellationRequested)
                    {
                        throw new TimeoutException("TLS handshake not completed within the ARTIM timeout");
                    }
                }
                _channel = new PduChannel(stream, time);
                // ARTIM (PS3.8 9.1.5): the whole request must arrive before the timer expires.
                var remaining = options.ArtimTimeout - time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero) throw new TimeoutException("no A-ASSOCIATE-RQ within the ARTIM timeout");
                request = await _channel.ReadAsync(MaxAssociateRequestLength, remaining, stopping).ConfigureAwait(false);
            }
            if (request is null)
            {
                _detail = "closed before sending an A-ASSOCIATE-RQ";
                return;
            }
            if (request.Value.Type != PduType.AssociateRequest)
                throw new DicomPduException(DicomAbortReason.UnexpectedPdu, $"{request.Value.Type} before A-ASSOCIATE-RQ");
            associated = await NegotiateAsync(PduCodec.ParseAssociateRequest(request.Value.Body.Span), stopping).ConfigureAwait(false);
            if (!associated) return;
            await ServeAsync(stopping).ConfigureAwait(false);
        }
        catch (DicomPduException ex)
        {
            logger.LogWarning("DICOM association {AssociationId}: protocol error, sending A-ABORT ({Reason}): {Message}", _id, ex.Reason, ex.Message);
            (_outcome, _detail) = (DicomAssociationOutcome.ProtocolError, ex.Message);
            await AbortAsync(ex.Reason).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            logger.LogWarning("DICOM association {AssociationId}: {Message}", _id, ex.Message);
            (_outcome, _detail) = (DicomAssociationOutcome.TimedOut, ex.Message);
            // PS3.8 9.2: ARTIM expiry before association closes the transport; an idle association is aborted.
            if (associated) await AbortAsync(DicomAbortReason.NotSpecified).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            logger.LogInformation("DICOM association {AssociationId}: server stopping", _id);
            (_outcome, _detail) = (DicomAssociationOutcome.ServerStopping, "server stopping");
            if (associated) await AbortAsync(DicomAbortReason.NotSpecified).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("DICOM association {AssociationId}: timed out", _id);
            (_outcome, _detail) = (DicomAssociationOutcome.TimedOut, "timed out");
            if (associated) await AbortAsync(DicomAbortReason.NotSpecified).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            logger.LogInformation("DICOM association {AssociationId}: connection lost: {Message}", _id, ex.Message);
            (_outcome, _detail) = (DicomAssociationOutcome.ConnectionLost, ex.Message);
        }
        finally
        {
            await DiscardSinkAsync().ConfigureAwait(false);
            _channel?.Dispose();
            await stream.DisposeAsync().ConfigureAwait(false);
            await ReportAsync(startedAt).ConfigureAwait(false);
        }
    }

    private async Task ReportAsync(DateTimeOffset startedAt)
    {
        if (observer is null) return;
        var summary = new DicomAssociationSummary(_id, _remote, _callingAe, _calledAe, _outcome, _detail, _stored, _failed, startedAt, time.GetUtcNow());
        try
        {
            using var cts = new CancellationTokenSource(options.ArtimTimeout, time);
            await observer.OnAssociationEndedAsync(summary, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "DICOM association {AssociationId}: the association observer failed", _id);
        }
    }

    private async Task<bool> NegotiateAsync(AssociateRequestPdu rq, CancellationToken stopping)
    {
        _callingAe = rq.CallingAeTitle;
        _calledAe = rq.CalledAeTitle;
        _peerMaxPdu = rq.UserInformation.MaxPduLength;
        logger.LogInformation("DICOM association {AssociationId}: A-ASSOCIATE-RQ {Calling} -> {Called}, {Count} presentation contexts",
            _id, _callingAe, _calledAe, rq.Contexts.Count);

        var decision = await DecideAsync(rq, stopping).ConfigureAwait(false);
        if (!decision.IsAccepted)
        {
            logger.LogWarning("DICOM association {AssociationId}: rejected {Calling} -> {Called} from {Remote}: result {Result}, source {Source}, reason {Reason}",
                _id, _callingAe, _calledAe, _remote, decision.Result, decision.Source, (byte)decision.Reason);
            (_outcome, _detail) = (DicomAssociationOutcome.Rejected,
                $"A-ASSOCIATE-RJ result {(byte)decision.Result} ({decision.Result}), source {(byte)decision.Source} ({decision.Source}), reason {(byte)decision.Reason}"
                + (decision.Source == DicomRejectSource.ServiceUser ? $" ({decision.Reason})" : ""));
            await _channel!.WriteAsync(PduCodec.EncodeAssociateReject(decision.Result, decision.Source, decision.Reason), stopping).ConfigureAwait(false);
            await CloseGracefullyAsync().ConfigureAwait(false);
            return false;
        }

        var answers = new List<AcceptedContextItem>(rq.Contexts.Count);
        foreach (var pc in rq.Contexts)
        {
            var answer = _contexts.ContainsKey(pc.Id) || (pc.Id & 1) == 0
                ? new AcceptedContextItem(pc.Id, DicomPresentationContextResult.NoReason, DicomTransferSyntax.ImplicitVRLittleEndian.Uid)
                : DicomPresentationNegotiation.Negotiate(pc, options.SopClasses, options.TransferSyntaxes);
            answers.Add(answer);
            if (answer.Result == DicomPresentationContextResult.Acceptance)
                _contexts[pc.Id] = (pc.AbstractSyntax, DicomTransferSyntax.Find(answer.TransferSyntax)
                    ?? new DicomTransferSyntax(answer.TransferSyntax, answer.TransferSyntax, true, true, false, true));
        }
        var user = new UserInformation(options.MaxPduLength, null, null);
        await _channel!.WriteAsync(PduCodec.EncodeAssociateAccept(rq.CalledAeTitle, rq.CallingAeTitle, answers, user), stopping).ConfigureAwait(false);
        logger.LogInformation("DICOM association {AssociationId}: accepted {Accepted} of {Count} presentation contexts", _id, _contexts.Count, rq.Contexts.Count);
        return true;
    }

    private async ValueTask<DicomAssociationDecision> DecideAsync(AssociateRequestPdu rq, CancellationToken stopping)
    {
        if ((rq.ProtocolVersion & 1) == 0)
            return DicomAssociationDecision.Reject(DicomRejectResult.Permanent, DicomRejectSource.ServiceProviderAcse, DicomRejectReason.ProtocolVersionNotSupported);
        if (rq.ApplicationContextName != PduCodec.ApplicationContextName)
            return DicomAssociationDecision.Reject(DicomRejectResult.Permanent, DicomRejectSource.ServiceUser, DicomRejectReason.ApplicationContextNameNotSupported);
        if (overLimit)
            return DicomAssociationDecision.Reject(DicomRejectResult.Transient, DicomRejectSource.ServiceProviderPresentation, DicomRejectReason.LocalLimitExceeded);
        if (options.RequireCalledAeTitle && !string.Equals(rq.CalledAeTitle, options.AeTitle.Trim(), StringComparison.Ordinal)
            && !options.AdditionalAeTitles.Any(t => string.Equals(rq.CalledAeTitle, t.Trim(), StringComparison.Ordinal)))
            return DicomAssociationDecision.RejectCalledAeTitle;
        using var artim = new CancellationTokenSource(options.ArtimTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, artim.Token);
        return await policy.EvaluateAsync(new DicomAssociationRequest(_id, rq.CallingAeTitle, rq.CalledAeTitle, _remote, _clientCertificateSha256), linked.Token)
            .ConfigureAwait(false);
    }

    private async Task ServeAsync(CancellationToken stopping)
    {
        while (true)
        {
            var pdu = await _channel!.ReadAsync(options.MaxPduLength, options.IdleTimeout, stopping).ConfigureAwait(false);
            if (pdu is null)
            {
                logger.LogWarning("DICOM association {AssociationId}: peer closed the connection without release", _id);
                _detail = "peer closed the connection without release";
                return;
            }
            switch (pdu.Value.Type)
            {
                case PduType.PData:
                    foreach (var pdv in PduChannel.ParsePData(pdu.Value.Body))
                        await OnPdvAsync(pdv, stopping).ConfigureAwait(false);
                    break;
                case PduType.ReleaseRequest:
                    if (_pending is not null || _command.Length > 0)
                        throw new DicomPduException(DicomAbortReason.UnexpectedPdu, "A-RELEASE-RQ in the middle of a DIMSE message");
                    await _channel.WriteAsync(PduCodec.EncodeReleaseResponse(), stopping).ConfigureAwait(false);
                    logger.LogInformation("DICOM association {AssociationId}: released", _id);
                    _outcome = DicomAssociationOutcome.Released;
                    await CloseGracefullyAsync().ConfigureAwait(false);
                    return;
                case PduType.Abort:
                    var (source, reason) = PduCodec.ParseAbort(pdu.Value.Body.Span);
                    logger.LogWarning("DICOM association {AssociationId}: aborted by peer (source {Source}, reason {Reason})", _id, source, reason);
                    (_outcome, _detail) = (DicomAssociationOutcome.AbortedByPeer, $"A-ABORT source {(byte)source}, reason {(byte)reason}");
                    return;
                default:
                    throw new DicomPduException(DicomAbortReason.UnexpectedPdu, $"unexpected {pdu.Value.Type} on an established association");
            }
        }
    }

    private async Task OnPdvAsync(Pdv pdv, CancellationToken stopping)
    {
        if (!_contexts.ContainsKey(pdv.ContextId))
            throw new DicomPduException(DicomAbortReason.InvalidPduParameterValue, $"PDV on presentation context {pdv.ContextId}, which was not accepted");
        if (pdv.IsCommand)
        {
            if (_pending is not null)
                throw new DicomPduException(DicomAbortReason.UnexpectedPduParameter, "command fragment while a data set was expected");
            if (_command.Length > 0 && pdv.ContextId != _commandContext)
                throw new DicomPduException(DicomAbortReason.UnexpectedPduParameter, "command fragments on different presentation contexts");
            if (_command.Length + pdv.Data.Length > MaxCommandSetLength)
                throw new DicomPduException(DicomAbortReason.InvalidPduParameterValue, "command set longer than 64 KiB");
            _commandContext = pdv.ContextId;
            _command.Write(pdv.Data.Span);
            if (!pdv.IsLast) return;
            var command = DimseCommand.Parse(_command.GetBuffer().AsSpan(0, (int)_command.Length));
            _command.SetLength(0);
            if (command.HasDataSet)
            {
                _pending = command;
                _pendingContext = pdv.ContextId;
                await BeginDataSetAsync(command, pdv.ContextId, stopping).ConfigureAwait(false);
            }
            else await OnCommandAsync(command, pdv.ContextId, stopping).ConfigureAwait(false);
            return;
        }

        if (_pending is null || pdv.ContextId != _pendingContext)
            throw new DicomPduException(DicomAbortReason.UnexpectedPduParameter, "data set fragment without a command announcing it on that context");
        if (_sink is not null)
        {
            try
            {
                await _sink.WriteAsync(pdv.Data, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                Fail(ex);
                await DiscardSinkAsync().ConfigureAwait(false);
            }
        }
        if (pdv.IsLast) await EndDataSetAsync(stopping).ConfigureAwait(false);
    }

    private async Task OnCommandAsync(DimseCommand command, byte contextId, CancellationToken stopping)
    {
        switch (command.CommandField)
        {
            case DimseCommandField.CEchoRequest:
                logger.LogDebug("DICOM association {AssociationId}: C-ECHO", _id);
                await RespondAsync(contextId, command, DimseCommandField.CEchoResponse, DicomStatus.Success, null, stopping).ConfigureAwait(false);
                break;
            case DimseCommandField.CCancelRequest:
                break; // nothing in progress to cancel; C-CANCEL has no response
            case DimseCommandField.CStoreRequest:
                await RespondAsync(contextId, command, DimseCommandField.CStoreResponse, DicomStatus.CannotUnderstand, "C-STORE-RQ without a data set", stopping)
                    .ConfigureAwait(false);
                break;
            default:
                await RespondAsync(contextId, command, (ushort)(command.CommandField | DimseCommandField.ResponseBit), DicomStatus.UnrecognizedOperation,
                    "only C-ECHO and C-STORE are provided", stopping).ConfigureAwait(false);
                break;
        }
    }

    private async Task BeginDataSetAsync(DimseCommand command, byte contextId, CancellationToken stopping)
    {
        _failure = null;
        _failureComment = null;
        if (command.CommandField != DimseCommandField.CStoreRequest)
        {
            _failure = DicomStatus.UnrecognizedOperation;
            _failureComment = "only C-ECHO and C-STORE are provided";
            return;
        }
        var (abstractSyntax, transferSyntax) = _contexts[contextId];
        if (string.IsNullOrEmpty(command.AffectedSopClassUid) || command.AffectedSopClassUid != abstractSyntax)
        {
            _failure = DicomStatus.SopClassNotSupported;
            _failureComment = $"SOP class {command.AffectedSopClassUid} does not match presentation context {contextId}";
            return;
        }
        if (string.IsNullOrEmpty(command.AffectedSopInstanceUid))
        {
            _failure = DicomStatus.CannotUnderstand;
            _failureComment = "C-STORE-RQ without Affected SOP Instance UID";
            return;
        }
        var request = new DicomStoreRequest(_id, _callingAe, _calledAe, _remote, command.MessageId, command.AffectedSopClassUid,
            command.AffectedSopInstanceUid, transferSyntax, command.MoveOriginatorAeTitle, command.MoveOriginatorMessageId);
        try
        {
            _sink = await storeHandler.BeginStoreAsync(request, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Fail(ex);
        }
    }

    private async Task EndDataSetAsync(CancellationToken stopping)
    {
        var command = _pending!;
        var contextId = _pendingContext;
        _pending = null;
        if (_failure is null && _sink is not null)
        {
            try
            {
                await _sink.CommitAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                Fail(ex);
            }
        }
        await DiscardSinkAsync().ConfigureAwait(false);
        var status = _failure ?? DicomStatus.Success;
        if (command.CommandField == DimseCommandField.CStoreRequest)
        {
            if (status.IsSuccess) _stored++;
            else _failed++;
        }
        if (status.IsSuccess)
            logger.LogDebug("DICOM association {AssociationId}: stored {SopInstanceUid}", _id, command.AffectedSopInstanceUid);
        else
            logger.LogWarning("DICOM association {AssociationId}: C-STORE of {SopInstanceUid} failed with {Status}: {Comment}",
                _id, command.AffectedSopInstanceUid, status, _failureComment);
        var responseField = command.CommandField == DimseCommandField.CStoreRequest
            ? DimseCommandField.CStoreResponse : (ushort)(command.CommandField | DimseCommandField.ResponseBit);
        await RespondAsync(contextId, command, responseField, status, status.IsSuccess ? null : _failureComment, stopping).ConfigureAwait(false);
        _failure = null;
        _failureComment = null;
    }

    private void Fail(Exception ex)
    {
        if (_failure is not null) return;
        (_failure, _failureComment) = ex switch
        {
            DicomStoreException s => (s.Status, s.Message),
            IOException or UnauthorizedAccessException => (DicomStatus.OutOfResources, "storage failed: " + ex.Message),
            _ => (DicomStatus.ProcessingFailure, "processing failure: " + ex.Message),
        };
        logger.LogWarning(ex, "DICOM association {AssociationId}: store handler failed", _id);
    }

    private async Task DiscardSinkAsync()
    {
        var sink = _sink;
        _sink = null;
        if (sink is null) return;
        try
        {
            await sink.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "DICOM association {AssociationId}: disposing the store sink failed", _id);
        }
    }

    private Task RespondAsync(byte contextId, DimseCommand request, ushort field, DicomStatus status, string? comment, CancellationToken stopping)
    {
        var response = new DimseCommand
        {
            CommandField = field,
            MessageIdBeingRespondedTo = request.MessageId,
            AffectedSopClassUid = request.AffectedSopClassUid ?? (field == DimseCommandField.CEchoResponse ? DicomServerDefaults.VerificationSopClassUid : null),
            AffectedSopInstanceUid = request.AffectedSopInstanceUid,
            CommandDataSetType = DimseCommand.NoDataSet,
            Status = status.Code,
            ErrorComment = comment,
        };
        return _channel!.SendMessageAsync(contextId, response.Encode(), null, 0, _peerMaxPdu, stopping);
    }

    private async Task AbortAsync(DicomAbortReason reason)
    {
        if (_channel is null) return;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            await _channel.WriteAsync(PduCodec.EncodeAbort(DicomAbortSource.ServiceProvider, reason), cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return;
        }
        await CloseGracefullyAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// After our last PDU, stop sending and let the peer close (bounded by ARTIM), so the PDU is read rather than lost to a
    /// TCP reset caused by closing with unread input (PS3.8 9.2: the acceptor waits for the transport to close).
    /// </summary>
    private async Task CloseGracefullyAsync()
    {
        try
        {
            if (_channel!.Stream is SslStream ssl) await ssl.ShutdownAsync().ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
            using var artim = new CancellationTokenSource(options.ArtimTimeout, time);
            var drain = new byte[4096];
            while (await socket.ReceiveAsync(drain, SocketFlags.None, artim.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}

/// <summary>Presentation context negotiation for the SCP (PS3.8 9.3.3.2, PS3.7 D.3.3.1).</summary>
internal static class DicomPresentationNegotiation
{
    public static AcceptedContextItem Negotiate(ProposedContextItem proposed, ICollection<string> sopClasses, IList<string> transferSyntaxes)
    {
        var fallback = proposed.TransferSyntaxes.Count > 0 ? proposed.TransferSyntaxes[0] : DicomTransferSyntax.ImplicitVRLittleEndian.Uid;
        if (!sopClasses.Contains(proposed.AbstractSyntax))
            return new AcceptedContextItem(proposed.Id, DicomPresentationContextResult.AbstractSyntaxNotSupported, fallback);
        foreach (var ts in transferSyntaxes)
            if (proposed.TransferSyntaxes.Contains(ts))
                return new AcceptedContextItem(proposed.Id, DicomPresentationContextResult.Acceptance, ts);
        return new AcceptedContextItem(proposed.Id, DicomPresentationContextResult.TransferSyntaxesNotSupported, fallback);
    }
}
