using TrialFlow.Core.Events;

namespace TrialFlow.Qc.Service;

/// <summary>
/// Runs QC on a study that completed intake. An event instead of a hook keeps intake unaware of QC; the outbox makes it
/// survive restarts. Redelivery is harmless: QC is idempotent (one result per study, ruleset, protocol and images).
/// </summary>
public sealed class QcOnStudyCompleted(QcService qc) : IModuleEventHandler<StudyCompleted>
{
    public async Task HandleAsync(StudyCompleted moduleEvent, EventDelivery delivery, CancellationToken cancellationToken)
    {
        // A workflow's RunQc step may have settled it first; a failure (a rule that cannot be evaluated, an archived
        // object that cannot be read) is retried by the dispatcher and shown on its delivery.
        if (await qc.IsAwaitingQcAsync(moduleEvent.StudyId, cancellationToken))
            await qc.RunQcAsync(moduleEvent.StudyId, cancellationToken);
    }
}
