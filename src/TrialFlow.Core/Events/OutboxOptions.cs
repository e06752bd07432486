using Microsoft.Extensions.Configuration;

namespace TrialFlow.Core.Events;

/// <summary>
/// From <c>TrialFlow:Events</c>: <c>SweepSeconds</c> (how often the outbox is read without a wake-up, for events another
/// node committed or a crash left; default 10), <c>FirstRetrySeconds</c> (doubles per failure up to
/// <c>MaxRetrySeconds</c>; defaults 5 and 600), <c>LeaseSeconds</c> (how long a claim keeps other nodes off; 300),
/// <c>AlertAfterFailures</c> (failures in a row after which a handler's delivery is reported stuck; 3).
/// </summary>
public sealed record OutboxOptions
{
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Failures in a row after which a delivery is stuck: logged as critical and reported by the host's health check
    /// (with the default waits, about 35 s after the event; it is still retried).
    /// </summary>
    public int AlertAfterFailures { get; init; } = 3;

    /// <summary>Events read per pass.</summary>
    public int BatchSize { get; init; } = 100;

    public static OutboxOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("TrialFlow:Events");
        var defaults = new OutboxOptions();
        return new OutboxOptions
        {
            SweepInterval = Seconds(section["SweepSeconds"]) ?? defaults.SweepInterval,
            FirstRetry = Seconds(section["FirstRetrySeconds"]) ?? defaults.FirstRetry,
            MaxRetry = Seconds(section["MaxRetrySeconds"]) ?? defaults.MaxRetry,
            Lease = Seconds(section["LeaseSeconds"]) ?? defaults.Lease,
            AlertAfterFailures = int.TryParse(section["AlertAfterFailures"], out var n) && n > 0 ? n : defaults.AlertAfterFailures,
        };
    }

    /// <summary>The wait after the <paramref name="failures"/>th failure in a row.</summary>
    public TimeSpan RetryAfter(int failures)
    {
        var wait = FirstRetry * Math.Pow(2, Math.Min(Math.Max(failures - 1, 0), 20));
        return wait < MaxRetry ? wait : MaxRetry;
    }

    private static TimeSpan? Seconds(string? text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s) : null;
}
