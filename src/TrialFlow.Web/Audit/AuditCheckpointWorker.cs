using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Audit;

/// <summary>
/// The time trigger of audit checkpoints: at start, every <c>TrialFlow:Audit:CheckpointMinutes</c> and at shutdown,
/// checkpoints the committed chain head if it moved. Bounds what an intruder can cut from the chain's tail unseen to
/// the events of the last interval (the count trigger after saves bounds it to <c>CheckpointEvery</c> events).
/// </summary>
internal sealed class AuditCheckpointWorker(DatabaseOptions database, TimeProvider time, ILogger<AuditCheckpointWorker> logger) : BackgroundService
{
    private static readonly Actor CheckpointActor = Actor.System("audit-checkpoints");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(database.Audit.CheckpointInterval, time);
        try
        {
            do
                await CheckpointAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Events saved since the last tick would otherwise wait for the next start to be anchored.
        await CheckpointAsync(CancellationToken.None);
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, CheckpointActor, time);
            if (await database.AuditAnchor.CheckpointHeadAsync(db, time, cancellationToken) is { } checkpoint)
                logger.LogDebug("Audit checkpoint at event #{Sequence}", checkpoint.Sequence);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Writing the audit checkpoint failed; the next pass tries again");
        }
    }
}
