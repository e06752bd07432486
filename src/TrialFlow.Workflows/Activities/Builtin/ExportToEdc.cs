namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// Sends the imaging results of the study's visit to the EDC, once the timepoint's review is final. The exporter is
/// keyed by the step's idempotency key, so a re-run after a crash does not deliver twice; a delivery the EDC refuses
/// throws, which the runtime retries with back-off and finally records as an incident with the <c>error</c> outcome.
/// </summary>
[Activity("Integration", "Sends the visit's imaging status and results to the EDC (drop folder or HTTP POST); retried, then an incident on failure.")]
public sealed class ExportToEdc(IVisitResultsExporter exporter) : Activity
{
    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        await exporter.ExportAsync(new VisitExportRequest(context.IdempotencyKey, context.TrialId, context.StudyId, context.AuditReason), cancellationToken);
        return ActivityResult.Done;
    }
}
