namespace TrialFlow.Workflows.Activities;

/// <summary>
/// The port through which <see cref="Builtin.ExportToEdc"/> hands a visit's imaging results to the trial's EDC.
/// Implemented by TrialFlow.Reports (which references this project, not the other way round) and registered by the
/// host. Implementations deliver at most once per <see cref="VisitExportRequest.IdempotencyKey"/> as far as they can
/// tell, audit the delivery, and throw when the EDC did not accept it (the runtime retries, then records an incident).
/// </summary>
public interface IVisitResultsExporter
{
    Task<VisitExportReceipt> ExportAsync(VisitExportRequest request, CancellationToken cancellationToken);
}

/// <param name="IdempotencyKey">Stable across re-runs of one workflow step: the delivery key.</param>
/// <param name="AuditReason">Recorded with the delivery's audit event.</param>
public sealed record VisitExportRequest(string IdempotencyKey, Guid TrialId, Guid StudyId, string AuditReason);

/// <param name="Target">Where the export went (a file path or an endpoint URL).</param>
/// <param name="AlreadyDelivered">An earlier run of the same step had delivered it; nothing was sent again.</param>
public sealed record VisitExportReceipt(string Target, bool AlreadyDelivered);

/// <summary>
/// Registered when the host configures no EDC export: every export fails with a message saying so, which the
/// runtime turns into an incident after its retries — the export is visible and can be re-run, never silently lost.
/// </summary>
public sealed class UnconfiguredVisitResultsExporter : IVisitResultsExporter
{
    public Task<VisitExportReceipt> ExportAsync(VisitExportRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"No EDC export is configured (TrialFlow:Edc:Export); the results of study {request.StudyId} were not sent.");
}
