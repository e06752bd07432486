using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// A data manager's decisions on held objects, each saved with its audit event. Releasing puts the object back
/// through the whole pipeline with the subject (and visit) the data manager chose; rejecting deletes the identified
/// bytes, which is why it needs a reason.
/// </summary>
public sealed class QuarantineDecisions(IntakeStores stores, IntakeReceiver receiver, TimeProvider time)
{
    public async Task ReleaseAsync(TrialFlowDbContext db, QuarantineItem item, Guid? subjectId, Guid? visitId, string resolution, CancellationToken cancellationToken)
    {
        var (header, content) = await stores.Quarantine.ReadAsync(item.BlobName, cancellationToken);
        var staged = StagedObject.FromBytes(header);
        // Without a chosen subject the object goes through intake as it first came (held for a processing failure).
        // A release from a ScannerNotQualified hold accepts the scanner for this object: a qualified scanner would not have
        // held it again, and an unqualified one is the data manager's recorded deviation (QC-SCANNER still reports it).
        staged = staged with { ScannerDeviationAccepted = staged.ScannerDeviationAccepted || item.Reason == QuarantineReason.ScannerNotQualified };
        staged = subjectId is null
            ? staged with { ReceivedAt = time.GetUtcNow().UtcDateTime }
            : staged with { DeclaredSubjectId = subjectId, DeclaredVisitId = visitId, ReceivedAt = time.GetUtcNow().UtcDateTime };
        item.Release(subjectId, visitId, resolution, time.GetUtcNow().UtcDateTime);
        // Staged before the decision is saved: if intake's door refuses the object (it cannot be read), nothing is saved
        // and the item stays open for a rejection. Should the save fail after staging, the object is processed anyway and
        // the item, still open with its bytes, can be decided again: intake settles a second copy as a duplicate.
        await receiver.StageAsync(staged, content, cancellationToken);
        await db.SaveChangesAsync(resolution, cancellationToken);
        stores.Quarantine.Delete(item.BlobName);
    }

    public async Task RejectAsync(TrialFlowDbContext db, QuarantineItem item, string reason, CancellationToken cancellationToken)
    {
        item.Reject(reason, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(reason, cancellationToken);
        if (stores.Quarantine.Exists(item.BlobName))
            stores.Quarantine.Delete(item.BlobName);
    }
}
