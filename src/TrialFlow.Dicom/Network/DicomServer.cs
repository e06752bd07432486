using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TrialFlow.Dicom.Network;

/// <summary>
/// A DICOM SCP for Verification (C-ECHO) and Storage (C-STORE) over TCP or TLS: one task per association, at most
/// <see cref="DicomServerOptions.MaxAssociations"/> at once. Received datasets are streamed, unparsed, to the
/// <see cref="IDicomStoreHandler"/>; who may associate is decided by the <see cref="IDicomAssociationPolicy"/>.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly IDicomStoreHandler _storeHandler;
    private readonly IDicomAssociationPolicy _policy;
    private readonly IDicomAssociationObserver? _observer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Guid, Task> _associations = new();
    private Socket? _listener;
    private X509Certificate2? _certificate;
    private bool _ownsCertificate;
    private Task? _acceptLoop;
    private int _active;

    /// <param name="options">Port, AE title, limits, timeouts, TLS.</param>
    /// <param name="storeHandler">Receives each instance's dataset bytes and makes them durable.</param>
    /// <param name="policy">Decides who may associate; null accepts every calling AE title and address.</param>
    /// <param name="observer">Told how each connection ended (audit, site monitoring); optional.</param>
    /// <param name="logger">Optional.</param>
    /// <param name="timeProvider">Clock for ARTIM and idle timers; <see cref="TimeProvider.System"/> by default.</param>
    public DicomServer(DicomServerOptions options, IDicomStoreHandler storeHandler, IDicomAssociationPolicy? policy = null,
        IDicomAssociationObserver? observer = null, ILogger<DicomServer>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storeHandler);
        if (options.MaxAssociations < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxAssociations must be at least 1");
        if (options.MaxPduLength < 1024) throw new ArgumentOutOfRangeException(nameof(options), "MaxPduLength must be at least 1024");
        if (options.AeTitle.Trim().Length is 0 or > 16) throw new ArgumentException("AeTitle must have 1 to 16 characters", nameof(options));
        if (!IPAddress.TryParse(options.BindAddress, out _)) throw new ArgumentException($"BindAddress '{options.BindAddress}' is not an IP address", nameof(options));
        if (options.Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(options), "Port must be 0..65535");
        _options = options;
        _storeHandler = storeHandler;
        _policy = policy ?? DicomAssociationPolicies.AcceptAll;
        _observer = observer;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The bound address and port once started (useful with port 0).</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    /// <summary>Associations currently open.</summary>
    public int ActiveAssociations => Volatile.Read(ref _active);

    /// <summary>Binds and starts accepting associations in the background.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_listener is not null) throw new InvalidOperationException("the DICOM server is already started");
        if (_options.Tls is { } tls)
        {
            // loaded once, so a bad certificate fails the start-up rather than every association
            _certificate = tls.Certificate ?? tls.LoadCertificate();
            _ownsCertificate = tls.Certificate is null;
        }
        var address = IPAddress.Parse(_options.BindAddress);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any)) listener.DualMode = true; // [::] serves IPv4 peers too
            listener.Bind(new IPEndPoint(address, _options.Port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        _logger.LogInformation("DICOM server {AeTitle} listening on {EndPoint}{Tls}", _options.AeTitle, listener.LocalEndPoint,
            _options.Tls is null ? "" : " (TLS)");
        _acceptLoop = AcceptLoopAsync(_stop.Token);
        return Task.CompletedTask;
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled, then stops (for a hosted service).</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await StartAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops accepting, aborts open associations at their next PDU boundary (an instance not yet committed is not
    /// acknowledged) and waits for them to end or for <paramref name="cancellationToken"/>.
    /// </summary>
    private int _stopped;
    private int _disposed;

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        // Hosts may stop and then dispose (or dispose twice): only the first call stops.
        if (_listener is null || Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        var all = _associations.Values.ToList();
        if (_acceptLoop is not null) all.Add(_acceptLoop);
        await Task.WhenAll(all).WaitAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("DICOM server {AeTitle} stopped", _options.AeTitle);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Dispose();
        if (_ownsCertificate) _certificate?.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                _logger.LogWarning("DICOM server: accept failed: {Message}", ex.Message);
                continue;
            }
            socket.NoDelay = true;
            var active = Interlocked.Increment(ref _active);
            if (active > _options.MaxAssociations * 2)
            {
                // far over the limit: do not even spend a task on answering with A-ASSOCIATE-RJ
                Interlocked.Decrement(ref _active);
                _logger.LogWarning("DICOM server: {Active} connections open, closing {Remote}", active - 1, socket.RemoteEndPoint);
                socket.Dispose();
                continue;
            }
            var association = new DicomScpAssociation(socket, _options, _certificate, _storeHandler, _policy, _observer, _logger, _time,
                overLimit: active > _options.MaxAssociations);
            _associations[association.Id] = RunAssociationAsync(association, stopping);
        }
    }

    private async Task RunAssociationAsync(DicomScpAssociation association, CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            await association.RunAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug must cost one association, never the server.
            _logger.LogError(ex, "DICOM association {AssociationId} failed", association.Id);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            _associations.TryRemove(association.Id, out _);
        }
    }
}
