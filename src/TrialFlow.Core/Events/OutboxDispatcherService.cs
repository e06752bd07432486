using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Core.Events;

/// <summary>
/// Runs the dispatcher when a commit in this process wrote events, and every <see cref="OutboxOptions.SweepInterval"/>
/// for events committed by another node, left by a crash, or due for a retry.
/// </summary>
public sealed class OutboxDispatcherService(OutboxDispatcher dispatcher, DatabaseOptions database, OutboxOptions options, TimeProvider time,
    ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before reading the outbox, so a commit during the pass wakes the next one.
            var woken = database.Outbox.Next;
            try
            {
                await dispatcher.DispatchPendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Dispatching events failed; will retry");
            }

            using var sweep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(woken, Task.Delay(options.SweepInterval, time, sweep.Token));
            await sweep.CancelAsync();
        }
    }
}
