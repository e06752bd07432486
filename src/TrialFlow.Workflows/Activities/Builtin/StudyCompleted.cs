namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// The trigger: <c>StudyWorkflowStarter</c> starts one instance per completed study of the trial (upload submitted or
/// push stable) on the latest published version. Running it only passes control on.
/// </summary>
[Activity("Triggers", "Starts when a study of the trial has finished arriving (upload submitted, or pushed study stable).", IsTrigger = true)]
public sealed class StudyCompleted : Activity
{
    public override Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        Task.FromResult(ActivityResult.Done);
}
