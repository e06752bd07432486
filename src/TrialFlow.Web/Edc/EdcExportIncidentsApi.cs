using TrialFlow.Core.Access;
using TrialFlow.Web.Security;
using TrialFlow.Workflows.Runtime;

namespace TrialFlow.Web.Edc;

/// <summary>
/// EDC exports that failed after their retries (workflow incidents of ExportToEdc), and sending one again. Export
/// readers (inspectors too) see the list; data managers, study managers and administrators send again.
/// </summary>
public static class EdcExportIncidentsApi
{
    public static IEndpointRouteBuilder MapEdcExportIncidentsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/edc/export-incidents").WithTags("EDC");
        api.MapGet("", (ExportIncidents incidents, CancellationToken ct) => incidents.OpenAsync(ct))
            .WithName("GetEdcExportIncidents").RequireAuthorization(Policies.EdcExport)
            .WithSummary("Open incidents of failed EDC exports, oldest first.");
        api.MapPost("/{incidentId:long}/retry", RetryAsync)
            .WithName("RetryEdcExport").RequireAuthorization(Policies.EdcResend)
            .WithSummary("Sends the visit to the EDC again under the failed step's key and resolves the incident; 502 when the EDC refuses again.");
        return endpoints;
    }

    private static async Task<IResult> RetryAsync(long incidentId, ExportIncidents incidents, IActorAccessor actor, CancellationToken ct)
    {
        try
        {
            return await incidents.RetryAsync(incidentId, actor.Current, ct) is { } receipt
                ? Results.Ok(receipt)
                : Results.Problem($"there is no open EDC export incident {incidentId}", statusCode: StatusCodes.Status404NotFound);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            // The EDC (or the drop folder) refused again: the incident stays open, and the reason is the answer.
            return Results.Problem($"the export of incident {incidentId} failed again: {e.Message}", statusCode: StatusCodes.Status502BadGateway);
        }
    }
}
