using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;

namespace TrialFlow.Queries.Notifications;

/// <summary>
/// Every <see cref="QueryOptions.EscalationInterval"/>: escalates overdue queries to their site's monitor (once per due
/// date, audited by the query service).
/// </summary>
internal sealed class QueryEscalationWorker(DatabaseOptions database, QueryService queries, QueryOptions options, TimeProvider time, ILogger<QueryEscalationWorker> logger)
    : BackgroundService
{
    public static readonly Actor EscalationActor = Actor.System("queries");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.EscalationInterval, time);
        do
        {
            try
            {
                await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, EscalationActor, time);
                var escalated = await queries.EscalateOverdueAsync(db, stoppingToken);
                if (escalated.Count > 0)
                    logger.LogInformation("Escalated {Count} overdue queries to site monitors", escalated.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Query escalation pass failed; the next pass tries again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>Section <c>TrialFlow:Queries</c>.</summary>
public sealed class QueryOptions
{
    /// <summary>How often overdue queries are looked for (default 5 minutes).</summary>
    public TimeSpan EscalationInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Seed a few demo queries when the demo trial is seeded (default on).</summary>
    public bool SeedDemo { get; init; } = true;

    public static QueryOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("TrialFlow:Queries");
        return new QueryOptions
        {
            EscalationInterval = section.GetValue("EscalationInterval", TimeSpan.FromMinutes(5)),
            SeedDemo = section.GetValue("SeedDemo", true),
        };
    }
}
