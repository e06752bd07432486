using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// Runs the pipeline over staged objects, one at a time in arrival order, starting with whatever a previous run
/// left staged. An object that fails unexpectedly stays staged (nothing acknowledged is lost) and is retried at
/// the next start.
/// </summary>
public sealed class IntakeWorker(IntakeReceiver receiver, IntakePipeline pipeline, ILogger<IntakeWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var recovered = await receiver.RecoverAsync(stoppingToken);
        if (recovered > 0)
            logger.LogInformation("Intake recovered {Count} staged objects from before the restart", recovered);

        await foreach (var name in receiver.Pending.ReadAllAsync(stoppingToken))
        {
            try
            {
                await pipeline.ProcessAsync(name, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Intake could not process staged object {Name}; it stays staged for the next start", name);
            }
        }
    }
}
