using Microsoft.EntityFrameworkCore;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;

namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// Waits until the query this instance raised last (<see cref="RaiseQuery"/>) is resolved or cancelled. The wait is keyed
/// by the query's id and effective from when it began, so only that query's end releases it, once; a query that ended
/// before the wait began is seen at once. The query service publishes the event after saving the resolution.
/// </summary>
[Activity("Queries", "Waits until the query raised by this workflow is resolved (or cancelled) by its raiser.", Outcomes = ["resolved", "cancelled"], Waits = true)]
public sealed class WaitForQueryResolution(WorkflowDatabase database) : Activity
{
    public const string EventName = "trialflow.query-ended";

    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        await using var db = database.Context();
        var mine = db.Queries.AsNoTracking().Where(q => q.WorkflowInstanceId == context.InstanceId);
        if (context.State is { } waitedFor && Guid.TryParse(waitedFor, out var queryId) && context.EventData is not null)
            return Outcome(await mine.Where(q => q.Id == queryId).Select(q => q.Status).SingleAsync(cancellationToken));

        // At most one query of an instance is open at a time: RaiseQuery → wait → (re-run) → RaiseQuery.
        var query = await mine.OrderByDescending(q => q.IsOpen).ThenByDescending(q => q.RaisedAt)
            .Select(q => new { q.Id, q.Status, q.IsOpen }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Workflow instance {context.InstanceId} raised no query to wait for: put RaiseQuery before {context.ActivityId}.");
        return query.IsOpen
            ? ActivityResult.WaitForEvent(EventName, KeyOf(query.Id), context.Now, query.Id.ToString())
            : Outcome(query.Status);
    }

    public static string KeyOf(Guid queryId) => queryId.ToString();

    private static ActivityResult Outcome(QueryStatus status) =>
        ActivityResult.Outcome(status == QueryStatus.Cancelled ? "cancelled" : "resolved");
}
