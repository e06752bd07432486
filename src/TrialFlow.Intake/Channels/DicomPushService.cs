using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrialFlow.Dicom.Network;

namespace TrialFlow.Intake.Channels;

/// <summary>Runs the C-ECHO / C-STORE SCP for the lifetime of the host (<c>TrialFlow:Dicom</c> configures it).</summary>
public sealed class DicomPushService(DicomServerOptions options, DicomPushChannel channel, ILogger<DicomServer> logger, TimeProvider time) : IHostedService, IAsyncDisposable
{
    private DicomServer? _server;

    /// <summary>The port actually listened on (useful when configured as 0).</summary>
    public int? Port => _server?.LocalEndPoint?.Port;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new DicomServer(options, channel, channel, channel, logger, time);
        return _server.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
