using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;

namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// A deadline: after the duration, checks whether the study is still in a status (still QC failed, still in review)
/// and takes <c>escalated</c> if so, <c>resolved</c> otherwise. Put it on a branch of its own beside the normal path.
/// </summary>
[Activity("Timers", "After a duration, escalates if the study is still in the given status.", Outcomes = ["escalated", "resolved"], Waits = true)]
public sealed class EscalateAfter(WorkflowDatabase database) : Activity
{
    [Input("How long the study may stay in the status, e.g. \"7.00:00:00\".", Required = true)]
    public TimeSpan Duration { get; set; }

    [Input("The status that is escalated if the study is still in it.", Required = true)]
    public StudyStatus WhileStatus { get; set; }

    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (context.State != Delay.Waiting)
            return ActivityResult.SleepFor(Duration, Delay.Waiting);
        await using var db = database.Context();
        var status = await db.Studies.Where(s => s.Id == context.StudyId).Select(s => s.Status).SingleAsync(cancellationToken);
        return ActivityResult.Outcome(status == WhileStatus ? "escalated" : "resolved");
    }
}
