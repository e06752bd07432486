using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrialFlow.Intake;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Web.Startup;

/// <summary>
/// Degraded while an acknowledged object has waited in staging longer than <see cref="IntakeOptions.StagedAgeLimit"/>:
/// intake is stuck or far behind, and a site believes the object was delivered. Whoever watches /health sees it.
/// </summary>
internal sealed class IntakeHealthCheck(IntakeStores stores, IntakeOptions options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var staged = stores.Staging.List().Count;
        if (stores.Staging.OldestArrival() is not { } oldest)
            return Task.FromResult(HealthCheckResult.Healthy("nothing waits in staging"));
        var age = time.GetUtcNow().UtcDateTime - oldest;
        return Task.FromResult(age > options.StagedAgeLimit
            ? HealthCheckResult.Degraded($"{staged} object(s) in staging; the oldest has waited {age.TotalMinutes:F0} min (limit {options.StagedAgeLimit.TotalMinutes:F0} min)")
            : HealthCheckResult.Healthy($"{staged} object(s) in staging; the oldest has waited {age.TotalSeconds:F0} s"));
    }
}
