using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// Runs the pipeline over staged objects in arrival order, starting with whatever a previous run left staged. What is
/// waiting is taken as one batch (one transaction); a batch that cannot be settled at once — an object to
/// quarantine, an unexpected failure — is processed again object by object, so one bad object never holds up or
/// takes down the others. An object that fails unexpectedly stays staged (nothing acknowledged is lost) and is
/// retried at the next start.
/// </summary>
public sealed class IntakeWorker(IntakeReceiver receiver, IntakePipeline pipeline, ILogger<IntakeWorker> logger) : BackgroundService
{
    /// <summary>Large enough to amortize a commit, small enough to bound memory (~40 KB to a few MB per object).</summary>
    private const int MaxBatch = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var recovered = await receiver.RecoverAsync(stoppingToken);
        if (recovered > 0)
            logger.LogInformation("Intake recovered {Count} staged objects from before the restart", recovered);

        try
        {
            while (await receiver.Pending.WaitToReadAsync(stoppingToken))
            {
                var batch = new List<string>(MaxBatch);
                while (batch.Count < MaxBatch && receiver.Pending.TryRead(out var name))
                    batch.Add(name);
                await ProcessAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(IReadOnlyList<string> batch, CancellationToken stoppingToken)
    {
        if (batch.Count > 1)
        {
            try
            {
                if (await pipeline.TryProcessBatchAsync(batch, stoppingToken))
                    return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Intake batch of {Count} failed as a whole; processing its objects one by one", batch.Count);
            }
        }

        foreach (var name in batch)
        {
            try
            {
                await pipeline.ProcessAsync(name, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Intake could not process staged object {Name}; it stays staged for the next start", name);
            }
        }
    }
}
