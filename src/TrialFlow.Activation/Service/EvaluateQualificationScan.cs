using TrialFlow.Core.Events;
using TrialFlow.Intake.Events;

namespace TrialFlow.Activation.Service;

/// <summary>
/// Evaluates a qualification scan once intake says it is complete. Through the outbox, so it survives restarts and a
/// failure (an unreadable archived object) is retried and shown on the delivery; a redelivery changes nothing.
/// </summary>
public sealed class EvaluateQualificationScan(ScannerQualification qualification) : IModuleEventHandler<QualificationScanCompleted>
{
    public Task HandleAsync(QualificationScanCompleted moduleEvent, EventDelivery delivery, CancellationToken cancellationToken) =>
        qualification.EvaluateAsync(moduleEvent.ScanId, cancellationToken);
}
