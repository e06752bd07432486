namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// Waits until a user gives the go-ahead for this study (the instance view's button, or the API). The wait's key is
/// this instance, activity and pass (<see cref="KeyOf"/>) and its effective date is when it began, so neither an
/// earlier signal nor one meant for another pass of a loop releases it.
/// </summary>
[Activity("Flow", "Waits until a user signals the go-ahead for the study (e.g. a study manager's sign-off).", Waits = true)]
public sealed class WaitForSignal : Activity
{
    public const string EventName = "trialflow.signal";

    internal const string Waiting = "waiting";

    [Input("What the user confirms, shown on the button (e.g. \"Images reviewed\").", Required = true)]
    public string Signal { get; set; } = "";

    public static string KeyOf(string instanceId, string activityId, string executionPointerId) => $"{instanceId}/{activityId}/{executionPointerId}";

    public override Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        Task.FromResult(context.State == Waiting && context.EventData is not null
            ? ActivityResult.Done
            : ActivityResult.WaitForEvent(EventName, KeyOf(context.InstanceId, context.ActivityId, context.ExecutionPointerId), context.Now, Waiting));
}
