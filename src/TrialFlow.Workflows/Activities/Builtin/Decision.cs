namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>Routes on a condition, usually JavaScript over the study (evaluated in the sandbox when the activity runs).</summary>
[Activity("Flow", "Routes on a condition over the study, e.g. study.modalities.includes('CT') && study.numberOfInstances >= 50.", Outcomes = ["true", "false"])]
public sealed class Decision : Activity
{
    [Input("The condition; JavaScript sees the study as `study`.", Required = true, PreferJavaScript = true)]
    public bool Condition { get; set; }

    public override Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        Task.FromResult(ActivityResult.Outcome(Condition ? "true" : "false"));
}
