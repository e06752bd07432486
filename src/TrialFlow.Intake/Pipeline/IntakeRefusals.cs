using Microsoft.Extensions.Logging;
using TrialFlow.Core.Access;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// Keeps a record of every object refused at the door: a receipt with outcome <see cref="IntakeOutcome.Rejected"/> and
/// the reason (audited like every receipt), so that site monitoring shows what a site tried to send and why it was
/// refused, not only what arrived.
/// </summary>
public sealed class IntakeRefusals(DatabaseOptions database, TimeProvider time, ILogger<IntakeRefusals> logger)
{
    private static readonly Actor IntakeActor = Actor.System("intake");

    public async Task RecordAsync(StagedObject staged, IntakeRejectedException refusal, CancellationToken cancellationToken)
    {
        logger.LogWarning("Refused an object from site {Site} via {Channel} ({Sender}): {Status} {Reason}",
            staged.SiteId, staged.Channel, staged.Sender, refusal.Status, refusal.Message);
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, IntakeActor, time);
        var reason = $"{refusal.Status}: {refusal.Message}";
        db.IntakeReceipts.Add(new IntakeReceipt($"refused-{Guid.NewGuid():N}", staged.TrialId, staged.SiteId, staged.Channel, staged.ReceivedAt,
            time.GetUtcNow().UtcDateTime, IntakeOutcome.Rejected, reason.Length > 1024 ? reason[..1024] : reason, staged.SizeBytes,
            staged.UploadSessionId, null, null, null, staged.Sender, staged.ClientReference));
        await db.SaveChangesAsync(cancellationToken);
    }
}
