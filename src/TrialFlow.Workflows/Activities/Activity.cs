namespace TrialFlow.Workflows.Activities;

/// <summary>
/// Base of every activity. Activities run once per execution pointer but may run again after a crash between
/// their side effect and the save of the instance: <see cref="ExecuteAsync"/> must be idempotent (use
/// <see cref="ActivityContext.IdempotencyKey"/>). Keep orchestration here and domain logic in services.
/// </summary>
public abstract class Activity
{
    public abstract Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken);
}

/// <summary>What an activity sees of the instance it runs in.</summary>
public sealed record ActivityContext(
    string InstanceId,
    string DefinitionId,
    int Version,
    string ActivityId,
    string ActivityType,
    string ExecutionPointerId,
    Guid StudyId,
    Guid TrialId,
    string? State,
    string? EventData,
    DateTime Now)
{
    /// <summary>Stable across re-runs of the same step, different on every pass of a loop.</summary>
    public string IdempotencyKey => $"{InstanceId}/{ExecutionPointerId}";

    /// <summary>The reason recorded with the audit events of this activity's changes.</summary>
    public string AuditReason => $"workflow {DefinitionId} v{Version}, instance {InstanceId}, activity {ActivityId} ({ActivityType})";
}

/// <summary>How an activity ended this run: an outcome (port), or a suspension that runs it again later.</summary>
public abstract record ActivityResult
{
    public static ActivityResult Outcome(string port) => new OutcomeResult(port);

    public static ActivityResult Done { get; } = new OutcomeResult(ActivityOutcomes.Done);

    /// <summary>Runs the activity again after <paramref name="duration"/> with <paramref name="state"/> as its state.</summary>
    public static ActivityResult SleepFor(TimeSpan duration, string state) => new SleepResult(duration, state);

    /// <summary>
    /// Waits for the event <paramref name="name"/> with <paramref name="key"/> published at or after
    /// <paramref name="effectiveFrom"/>: give each wait a key of its own (a query id, a read task id), or an older
    /// event would release it.
    /// </summary>
    public static ActivityResult WaitForEvent(string name, string key, DateTime effectiveFrom, string state) => new WaitResult(name, key, effectiveFrom, state);
}

public sealed record OutcomeResult(string Port) : ActivityResult;

public sealed record SleepResult(TimeSpan Duration, string State) : ActivityResult;

public sealed record WaitResult(string EventName, string EventKey, DateTime EffectiveFrom, string State) : ActivityResult;
