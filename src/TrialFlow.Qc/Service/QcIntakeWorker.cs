using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TrialFlow.Qc.Service;

/// <summary>
/// Runs QC on studies that completed intake. Polling the database instead of hooking intake keeps intake unaware of
/// QC, survives restarts (a study completed before a crash is picked up after it) and runs each study once per
/// ruleset version, because QC itself is idempotent.
/// </summary>
public sealed class QcIntakeWorker(QcService qc, QcOptions options, TimeProvider time, ILogger<QcIntakeWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PollInterval, time);
        do
        {
            try
            {
                await RunPendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "QC of completed studies failed; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Runs QC on every completed study still waiting; returns how many were run.</summary>
    public async Task<int> RunPendingAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        // A study that cannot be evaluated stays Complete, is logged, and is tried again on the next pass; within this
        // pass it is skipped so it cannot hold up the studies behind it.
        var failed = new HashSet<Guid>();
        while (await qc.StudiesAwaitingQcAsync(50, failed, cancellationToken) is { Count: > 0 } studies)
        {
            foreach (var study in studies)
            {
                try
                {
                    await qc.RunQcAsync(study, cancellationToken);
                    count++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A rule that cannot be evaluated, an archived object that cannot be read: logged, retried next pass.
                    failed.Add(study);
                    logger.LogError(e, "QC of study {Study} failed: {Reason}", study, e.Message);
                }
            }
        }
        return count;
    }
}
