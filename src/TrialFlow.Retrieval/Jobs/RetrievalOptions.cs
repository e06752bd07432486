using Microsoft.Extensions.Configuration;

namespace TrialFlow.Retrieval.Jobs;

/// <summary>How pull jobs run (<c>TrialFlow:Retrieval:*</c>).</summary>
public sealed record RetrievalOptions
{
    /// <summary>Attempts per study before it is given up as failed (the job goes on with the others).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait after a first failed attempt; it doubles with each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a node's claim on a job holds without renewal; another node takes the job over after it lapsed.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a node looks for jobs to run, and a running study checks for pause or cancel.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>This node's name in job leases.</summary>
    public string NodeId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    public TimeSpan RetryDelayAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, RetryDelay.Ticks * (1L << Math.Clamp(attempts - 1, 0, 20))));

    public static RetrievalOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("TrialFlow:Retrieval");
        var defaults = new RetrievalOptions();
        return new RetrievalOptions
        {
            MaxAttempts = section.GetValue(nameof(MaxAttempts), defaults.MaxAttempts),
            RetryDelay = section.GetValue(nameof(RetryDelay), defaults.RetryDelay),
            MaxRetryDelay = section.GetValue(nameof(MaxRetryDelay), defaults.MaxRetryDelay),
            Lease = section.GetValue(nameof(Lease), defaults.Lease),
            PollInterval = section.GetValue(nameof(PollInterval), defaults.PollInterval),
            NodeId = section[nameof(NodeId)] is { Length: > 0 } node ? node : defaults.NodeId,
        };
    }
}
