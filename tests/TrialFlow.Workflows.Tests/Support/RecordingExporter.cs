using System.Collections.Concurrent;

namespace TrialFlow.Workflows.Tests.Support;

/// <summary>An EDC behind the ExportToEdc port that records every request and refuses the first <paramref name="failures"/>.</summary>
internal sealed class RecordingExporter(int failures) : IVisitResultsExporter
{
    public ConcurrentQueue<VisitExportRequest> Requests { get; } = new();

    public Task<VisitExportReceipt> ExportAsync(VisitExportRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Requests.Count <= failures
            ? throw new InvalidOperationException("Export to the EDC at https://edc.example/odm failed: HTTP 503 Service Unavailable")
            : Task.FromResult(new VisitExportReceipt("https://edc.example/odm", AlreadyDelivered: false));
    }
}
