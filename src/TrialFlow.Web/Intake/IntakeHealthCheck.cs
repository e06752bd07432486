using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrialFlow.Intake;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Web.Intake;

/// <summary>
/// Degraded while an acknowledged object has waited in staging longer than <see cref="IntakeOptions.StagedAgeLimit"/>:
/// intake is stuck or far behind, and a site believes the object was delivered. Whoever watches /health sees it.
/// </summary>
internal sealed class IntakeHealthCheck(IntakeStores stores, IntakeOptions options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = stores.Staging.Backlog();
        if (backlog.OldestArrival is not { } oldest)
            return Task.FromResult(HealthCheckResult.Healthy("nothing waits in staging"));
        var now = time.GetUtcNow().UtcDateTime;
        var age = now - oldest;
        return Task.FromResult(backlog.IsStuck(now, options.StagedAgeLimit)
            ? HealthCheckResult.Degraded($"{backlog.Count} object(s) in staging; the oldest has waited {age.TotalMinutes:F0} min (limit {options.StagedAgeLimit.TotalMinutes:F0} min)")
            : HealthCheckResult.Healthy($"{backlog.Count} object(s) in staging; the oldest has waited {age.TotalSeconds:F0} s"));
    }
}
