using Microsoft.EntityFrameworkCore;
using TrialFlow.Review.Domain;

namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// Waits for the adjudicator's signed decision on the study's open adjudication, keyed by the adjudication's id and
/// effective from its opening.
/// </summary>
[Activity("Review", "Waits for the adjudicator to accept one of the two reads, with a rationale.", Waits = true)]
public sealed class Adjudicate(WorkflowDatabase database) : Activity
{
    public const string EventName = "trialflow.adjudication-decided";

    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        await using var db = database.Context();
        var adjudication = await db.Adjudications.AsNoTracking().Where(a => a.StudyId == context.StudyId)
            .OrderByDescending(a => a.OpenedAt).Select(a => new { a.Id, a.Status, a.OpenedAt }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Study {context.StudyId} has no adjudication: connect CompareReads' 'adjudicate' outcome to Adjudicate.");
        return adjudication.Status == AdjudicationStatus.Decided
            ? ActivityResult.Done
            : ActivityResult.WaitForEvent(EventName, adjudication.Id.ToString(), adjudication.OpenedAt, "waiting");
    }
}
