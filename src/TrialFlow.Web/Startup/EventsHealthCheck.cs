using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrialFlow.Core.Events;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Startup;

/// <summary>
/// Degraded while a module's handler keeps failing on an event (<see cref="OutboxOptions.AlertAfterFailures"/> times
/// in a row): the change that raised it is committed but another module has not acted on it (QC not run, a workflow not
/// resumed). Names the handler and the event; /health answers anyone, so the error text stays in the log and in
/// <c>OutboxDeliveries.LastError</c>.
/// </summary>
internal sealed class EventsHealthCheck(TrialFlowDbContext db, OutboxOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stuck = await StuckDeliveries.ListAsync(db, options, take: 5, cancellationToken);
        if (stuck.Count == 0)
            return HealthCheckResult.Healthy("no event delivery is failing repeatedly");
        var worst = stuck[0];
        return HealthCheckResult.Degraded(
            $"{stuck.Count}{(stuck.Count == 5 ? "+" : "")} event deliveries keep failing; worst: {worst.Handler} on {worst.EventType} {worst.EventId}, "
            + $"{worst.Attempts} attempts (the error is in the log)");
    }
}
