using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Workflows.Persistence;

namespace TrialFlow.Workflows.Activities;

/// <summary>
/// The database as activities use it: Core's audited context acting as the workflow engine, and the workflow
/// context joined to the same transaction when one change spans both (a notification and its audit event).
/// </summary>
public sealed class WorkflowDatabase(DatabaseOptions options, WorkflowStore store, TimeProvider time)
{
    public static Actor Actor { get; } = Actor.System("workflows");

    public TrialFlowDbContext Context() => DatabaseServiceCollectionExtensions.CreateContext(options, Actor, time);

    public async Task InTransactionAsync(Func<TrialFlowDbContext, WorkflowDbContext, Task> work, CancellationToken cancellationToken)
    {
        await using var db = Context();
        await store.InTransactionWithAsync(db, wf => work(db, wf), cancellationToken);
    }
}
