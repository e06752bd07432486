namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>Waits for a duration; the instance sleeps in the database meanwhile and survives restarts.</summary>
[Activity("Timers", "Waits for a duration (days.hours:minutes:seconds) before continuing.", Waits = true)]
public sealed class Delay : Activity
{
    internal const string Waiting = "waiting";

    [Input("How long to wait, e.g. \"2.00:00:00\" for two days.", Required = true)]
    public TimeSpan Duration { get; set; }

    public override Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        Task.FromResult(context.State == Waiting ? ActivityResult.Done : ActivityResult.SleepFor(Duration, Waiting));
}
