using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// From <c>TrialFlow:Workflows</c>: <c>PollInterval</c> (default 1 s; WorkflowCore's 10 s would delay recovery, long
/// timers and unmatched events), <c>MaxAttempts</c> of a failing activity before it ends in <c>error</c> (default 3),
/// <c>RetryDelay</c> (first retry; doubles each time, default 5 s), <c>MaxConcurrentWorkflows</c> (default 4) and <c>MaxStepsPerMinute</c> (activity runs of
/// one instance within a minute before it is terminated as a runaway with an incident, default 200).
/// </summary>
public sealed record WorkflowRuntimeOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxAttempts { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    public int MaxConcurrentWorkflows { get; init; } = 4;

    /// <summary>
    /// A flowchart whose every loop waits runs a handful of activities a minute per instance; an instance running more
    /// than this loops without pause and is stopped (<see cref="StepRateGuard"/>).
    /// </summary>
    public int MaxStepsPerMinute { get; init; } = 200;

    public TimeSpan RetryDelayAfter(int attempt) => RetryDelay * Math.Pow(2, Math.Max(0, attempt - 1));

    public static WorkflowRuntimeOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("TrialFlow:Workflows");
        var defaults = new WorkflowRuntimeOptions();
        var options = new WorkflowRuntimeOptions
        {
            PollInterval = Duration(section["PollInterval"]) ?? defaults.PollInterval,
            MaxAttempts = int.TryParse(section["MaxAttempts"], CultureInfo.InvariantCulture, out var m) ? m : defaults.MaxAttempts,
            RetryDelay = Duration(section["RetryDelay"]) ?? defaults.RetryDelay,
            MaxConcurrentWorkflows = int.TryParse(section["MaxConcurrentWorkflows"], CultureInfo.InvariantCulture, out var c) ? c : defaults.MaxConcurrentWorkflows,
            MaxStepsPerMinute = int.TryParse(section["MaxStepsPerMinute"], CultureInfo.InvariantCulture, out var s) ? s : defaults.MaxStepsPerMinute,
        };
        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromSeconds(5))
            throw new InvalidOperationException($"TrialFlow:Workflows:PollInterval is {options.PollInterval}; use 1–2 s (0.1–5 s accepted).");
        if (options.MaxAttempts is < 1 or > 20)
            throw new InvalidOperationException($"TrialFlow:Workflows:MaxAttempts is {options.MaxAttempts}; use 1–20.");
        if (options.MaxStepsPerMinute is < 10 or > 100_000)
            throw new InvalidOperationException($"TrialFlow:Workflows:MaxStepsPerMinute is {options.MaxStepsPerMinute}; use 10–100000.");
        return options;
    }

    private static TimeSpan? Duration(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : TimeSpan.Parse(text, CultureInfo.InvariantCulture);
}
