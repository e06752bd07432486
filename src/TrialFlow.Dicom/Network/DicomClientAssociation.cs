using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Dicom.Network;

/// <summary>
/// An open association on the SCU side (PS3.8 9.2, requestor). Sends C-ECHO and C-STORE one at a time and waits for
/// each response. Dispose releases nothing: call <see cref="ReleaseAsync"/> first, or the association is aborted.
/// </summary>
public sealed partial class DicomClientAssociation : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PduChannel _channel;
    private readonly DicomClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MemoryStream _command = new();
    private readonly MemoryStream _data = new();
    private DimseCommand? _pending;
    private readonly Queue<Pdv> _backlog = new();
    private readonly Guid _associationId = Guid.NewGuid();

    /// <summary>The peer's address, as a C-GET's store sub-operations report it to the store handler.</summary>
    private System.Net.IPEndPoint RemoteEndPoint => _socket.RemoteEndPoint as System.Net.IPEndPoint ?? new System.Net.IPEndPoint(System.Net.IPAddress.None, 0);
    private ushort _nextMessageId = 1;
    private bool _closed;

    private DicomClientAssociation(Socket socket, Stream stream, PduChannel channel, DicomClientOptions options, ILogger logger, TimeProvider time,
        IReadOnlyList<DicomPresentationContext> accepted, uint peerMaxPdu, string? peerImplementationClassUid)
    {
        _socket = socket;
        _stream = stream;
        _options = options;
        _logger = logger;
        _time = time;
        _channel = channel;
        AcceptedContexts = accepted;
        PeerMaxPduLength = peerMaxPdu;
        PeerImplementationClassUid = peerImplementationClassUid;
    }

    /// <summary>The presentation contexts the peer accepted.</summary>
    public IReadOnlyList<DicomPresentationContext> AcceptedContexts { get; }

    /// <summary>The peer's maximum PDU length (0 = unlimited).</summary>
    public uint PeerMaxPduLength { get; }

    public string? PeerImplementationClassUid { get; }

    internal static async Task<DicomClientAssociation> OpenAsync(string host, int port, IReadOnlyList<DicomProposedContext> proposed,
        DicomClientOptions options, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        if (proposed.Count is 0 or > 128) throw new ArgumentOutOfRangeException(nameof(proposed), "propose between 1 and 128 presentation contexts");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream = Stream.Null;
        PduChannel? channel = null;
        var opened = false;
        try
        {
            using (var connect = new CancellationTokenSource(options.ConnectTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connect.Token))
            {
                try
                {
                    await socket.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
                    stream = new NetworkStream(socket, ownsSocket: true);
                    if (options.Tls is { } tls)
                    {
                        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                        stream = ssl;
                        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                        {
                            TargetHost = tls.TargetHost ?? host,
                            RemoteCertificateValidationCallback = tls.RemoteCertificateValidation,
                            ClientCertificates = tls.ClientCertificate is null ? null : [tls.ClientCertificate],
                        }, linked.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (connect.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new DicomNetworkException($"could not connect to {host}:{port} within {options.ConnectTimeout.TotalSeconds:0.#} s");
                }
                catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
                {
                    throw new DicomNetworkException($"could not connect to {host}:{port}: {ex.Message}", ex);
                }
            }

            var items = proposed.Select((p, i) => new ProposedContextItem((byte)(2 * i + 1), p.AbstractSyntax, p.TransferSyntaxes)).ToList();
            channel = new PduChannel(stream, time);
            var rq = PduCodec.EncodeAssociateRequest(options.CalledAeTitle, options.CallingAeTitle, items,
                new UserInformation(options.MaxPduLength, null, null,
                    // C-GET: the requester asks to be the storage SCP for the classes it wants back (SCU role 0, SCP role 1).
                    proposed.Where(p => p.ProposeScpRole).Select(p => new RoleSelection(p.AbstractSyntax, false, true)).DistinctBy(r => r.SopClassUid).ToList()));
            await channel.WriteAsync(rq, cancellationToken).ConfigureAwait(false);
            var pdu = await channel.ReadAsync(Math.Max(options.MaxPduLength, 1u << 20), options.ResponseTimeout, cancellationToken).ConfigureAwait(false)
                ?? throw new DicomNetworkException("the peer closed the connection instead of answering the A-ASSOCIATE-RQ");
            switch (pdu.Type)
            {
                case PduType.AssociateAccept:
                    var ac = PduCodec.ParseAssociateAccept(pdu.Body.Span);
                    var accepted = new List<DicomPresentationContext>();
                    foreach (var answer in ac.Contexts)
                    {
                        var mine = items.Find(i => i.Id == answer.Id);
                        if (mine is not null && answer.Result == DicomPresentationContextResult.Acceptance)
                            accepted.Add(new DicomPresentationContext(answer.Id, mine.AbstractSyntax, answer.TransferSyntax));
                    }
                    logger.LogInformation("DICOM association {Calling} -> {Called} at {Host}:{Port}: {Accepted} of {Proposed} contexts accepted",
                        options.CallingAeTitle, options.CalledAeTitle, host, port, accepted.Count, items.Count);
                    opened = true;
                    return new DicomClientAssociation(socket, stream, channel, options, logger, time, accepted, ac.UserInformation.MaxPduLength,
                        ac.UserInformation.ImplementationClassUid);
                case PduType.AssociateReject:
                    var (result, source, reason) = PduCodec.ParseAssociateReject(pdu.Body.Span);
                    throw new DicomAssociationRejectedException(result, source, reason);
                case PduType.Abort:
                    var (abortSource, abortReason) = PduCodec.ParseAbort(pdu.Body.Span);
                    throw new DicomAssociationAbortedException(abortSource, abortReason);
                default:
                    throw new DicomNetworkException($"unexpected {pdu.Type} in answer to A-ASSOCIATE-RQ");
            }
        }
        catch (DicomPduException ex)
        {
            throw new DicomNetworkException("invalid answer to A-ASSOCIATE-RQ: " + ex.Message, ex);
        }
        catch (TimeoutException ex)
        {
            throw new DicomNetworkException(ex.Message, ex);
        }
        finally
        {
            if (!opened)
            {
                channel?.Dispose();
                await stream.DisposeAsync().ConfigureAwait(false);
                socket.Dispose();
            }
        }
    }

    /// <summary>Sends a C-ECHO on the Verification context and returns the status.</summary>
    public async Task<DicomStatus> EchoAsync(CancellationToken cancellationToken = default)
    {
        var context = AcceptedContexts.FirstOrDefault(c => c.AbstractSyntax == DicomServerDefaults.VerificationSopClassUid)
            ?? throw new DicomNetworkException("the peer did not accept the Verification SOP class");
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CEchoRequest,
            MessageId = _nextMessageId++,
            AffectedSopClassUid = DicomServerDefaults.VerificationSopClassUid,
        };
        var response = await SendAsync(context.Id, command, null, 0, cancellationToken).ConfigureAwait(false);
        return new DicomStatus(response.Status ?? 0xFFFF);
    }

    /// <summary>
    /// Sends one Part 10 file with C-STORE, streaming its dataset from disk. Uses the context accepted for its SOP class
    /// in its own transfer syntax, else an Implicit VR Little Endian context (the dataset is re-encoded in memory, only
    /// possible for native pixel data).
    /// </summary>
    public async Task<DicomStoreResult> StoreFileAsync(string path, CancellationToken cancellationToken = default)
    {
        DicomPart10Header header;
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            try
            {
                header = DicomPart10.ReadHeader(file);
            }
            catch (DicomParseException ex)
            {
                return new DicomStoreResult(path, null, null, ex.Message);
            }
            var exact = AcceptedContexts.FirstOrDefault(c => c.AbstractSyntax == header.SopClassUid && c.TransferSyntax == header.TransferSyntaxUid);
            if (exact is not null)
                return await StoreAsync(path, header, exact.Id, file, file.Length - header.DataSetOffset, cancellationToken).ConfigureAwait(false);
        }

        var implicitContext = AcceptedContexts.FirstOrDefault(c => c.AbstractSyntax == header.SopClassUid
            && c.TransferSyntax == DicomTransferSyntax.ImplicitVRLittleEndian.Uid);
        if (implicitContext is null || DicomTransferSyntax.Find(header.TransferSyntaxUid) is not { IsEncapsulated: false })
            return new DicomStoreResult(path, header.SopInstanceUid, null,
                $"no accepted presentation context for SOP class {header.SopClassUid} in transfer syntax {header.TransferSyntaxUid}");
        var recoded = new MemoryStream();
        try
        {
            var read = await DicomFileReader.ReadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            DicomFileWriter.Write(read, recoded, new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.ImplicitVRLittleEndian });
        }
        catch (DicomException ex)
        {
            return new DicomStoreResult(path, header.SopInstanceUid, null, "cannot re-encode in Implicit VR Little Endian: " + ex.Message);
        }
        recoded.Position = 0;
        var recodedHeader = DicomPart10.ReadHeader(recoded);
        return await StoreAsync(path, header, implicitContext.Id, recoded, recoded.Length - recodedHeader.DataSetOffset, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<DicomStoreResult> StoreAsync(string path, DicomPart10Header header, byte contextId, Stream dataSet, long length,
        CancellationToken cancellationToken)
    {
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest,
            MessageId = _nextMessageId++,
            AffectedSopClassUid = header.SopClassUid,
            AffectedSopInstanceUid = header.SopInstanceUid,
            Priority = 0,
            CommandDataSetType = 0x0000,
        };
        var response = await SendAsync(contextId, command, dataSet, length, cancellationToken).ConfigureAwait(false);
        var status = new DicomStatus(response.Status ?? 0xFFFF);
        if (!status.IsSuccess)
            _logger.LogWarning("C-STORE of {Path} answered {Status}: {Comment}", path, status, response.ErrorComment);
        return new DicomStoreResult(path, header.SopInstanceUid, status, response.ErrorComment);
    }

    private async Task<DimseCommand> SendAsync(byte contextId, DimseCommand command, Stream? dataSet, long length, CancellationToken cancellationToken)
    {
        await SendRequestAsync(contextId, command, dataSet, length, cancellationToken).ConfigureAwait(false);
        return (await ReceiveResponseAsync(command.MessageId, cancellationToken).ConfigureAwait(false)).Command;
    }

    private Task SendRequestAsync(byte contextId, DimseCommand command, Stream? dataSet, long length, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var maxSend = _options.MaxSendPduLength == 0 ? PeerMaxPduLength
            : PeerMaxPduLength == 0 ? _options.MaxSendPduLength : Math.Min(PeerMaxPduLength, _options.MaxSendPduLength);
        return GuardedAsync(async () =>
        {
            await _channel.SendMessageAsync(contextId, command.Encode(), dataSet, length, maxSend, cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>
    /// The next response to <paramref name="messageId"/>: its command and, when the command says one follows, its data set
    /// (a C-FIND match, a retrieve's failed-instance list). Other messages are skipped.
    /// </summary>
    private async Task<(DimseCommand Command, byte[]? DataSet)> ReceiveResponseAsync(ushort messageId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
            if (message.Command.MessageIdBeingRespondedTo == messageId && (message.Command.CommandField & DimseCommandField.ResponseBit) != 0)
                return (message.Command, message.DataSet);
        }
    }

    /// <summary>The next whole DIMSE message the peer sends (a response, or a request such as a C-GET's C-STORE), with its context.</summary>
    private Task<(byte ContextId, DimseCommand Command, byte[]? DataSet)> ReceiveMessageAsync(CancellationToken cancellationToken) =>
        GuardedAsync(async () =>
        {
            while (true)
            {
                // A P-DATA-TF may carry the end of one message and the start of the next: what is left waits here.
                while (_backlog.TryDequeue(out var pdv))
                {
                    if (pdv.IsCommand)
                    {
                        _command.Write(pdv.Data.Span);
                        if (!pdv.IsLast) continue;
                        var command = DimseCommand.Parse(_command.GetBuffer().AsSpan(0, (int)_command.Length), lenient: true);
                        _command.SetLength(0);
                        if (!command.HasDataSet)
                            return (pdv.ContextId, command, (byte[]?)null);
                        _pending = command;
                        continue;
                    }

                    _data.Write(pdv.Data.Span);
                    if (!pdv.IsLast || _pending is not { } awaiting) continue;
                    var data = _data.ToArray();
                    _data.SetLength(0);
                    _pending = null;
                    return (pdv.ContextId, awaiting, data);
                }

                var pdu = await _channel.ReadAsync(Math.Max(_options.MaxPduLength, 1u << 20), _options.ResponseTimeout, cancellationToken).ConfigureAwait(false)
                    ?? throw new DicomNetworkException("the peer closed the connection before responding");
                switch (pdu.Type)
                {
                    case PduType.PData:
                        foreach (var pdv in PduChannel.ParsePData(pdu.Body))
                            _backlog.Enqueue(pdv);
                        break;
                    case PduType.Abort:
                        var (source, reason) = PduCodec.ParseAbort(pdu.Body.Span);
                        _closed = true;
                        throw new DicomAssociationAbortedException(source, reason);
                    default:
                        throw new DicomPduException(DicomAbortReason.UnexpectedPdu, $"unexpected {pdu.Type} while waiting for a response");
                }
            }
        });

    // A protocol error aborts the association (A-ABORT, service provider); a peer that stops answering is aborted too.
    private async Task<T> GuardedAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (DicomPduException ex)
        {
            await AbortAsync(ex.Reason).ConfigureAwait(false);
            throw new DicomAssociationAbortedException(DicomAbortSource.ServiceProvider, ex.Reason, ex.Message);
        }
        catch (TimeoutException ex)
        {
            await AbortAsync(DicomAbortReason.NotSpecified).ConfigureAwait(false);
            throw new DicomNetworkException(ex.Message, ex);
        }
    }

    /// <summary>Releases the association (A-RELEASE-RQ, waits for A-RELEASE-RP) and closes the connection.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (_closed) return;
        _closed = true;
        try
        {
            await _channel.WriteAsync(PduCodec.EncodeReleaseRequest(), cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var pdu = await _channel.ReadAsync(Math.Max(_options.MaxPduLength, 1u << 20), _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
                if (pdu is null || pdu.Value.Type is PduType.ReleaseResponse or PduType.Abort) break;
            }
        }
        catch (Exception ex) when (ex is TimeoutException or DicomPduException or IOException or SocketException)
        {
            _logger.LogWarning("DICOM release did not complete cleanly: {Message}", ex.Message);
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Aborts the association (A-ABORT, service user) and closes the connection.</summary>
    public Task AbortAsync() => AbortAsync(null);

    private async Task AbortAsync(DicomAbortReason? providerReason)
    {
        _closed = true;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            var pdu = providerReason is { } r ? PduCodec.EncodeAbort(DicomAbortSource.ServiceProvider, r) : PduCodec.EncodeAbort(DicomAbortSource.ServiceUser, 0);
            await _channel.WriteAsync(pdu, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        await CloseAsync().ConfigureAwait(false);
    }

    private async Task CloseAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        _channel.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closed) await AbortAsync().ConfigureAwait(false);
    }
}
