using Microsoft.EntityFrameworkCore;
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

    // Built once: activities open thousands of contexts, and rebuilding the options each time showed in the profile.
    private readonly DbContextOptions<TrialFlowDbContext> _options =
        (DbContextOptions<TrialFlowDbContext>)DatabaseServiceCollectionExtensions.Configure(new DbContextOptionsBuilder<TrialFlowDbContext>(), options).Options;

    public static Actor Actor { get; } = Actor.System("workflows");

    private static readonly FixedActorAccessor ActorAccessor = new(Actor);

    public TrialFlowDbContext Context() => new(_options, ActorAccessor, time, options.AuditAnchor, options.Outbox);

    /// <summary>Held around a save of an activity's change; see <see cref="WorkflowStore.WriteLockAsync"/>.</summary>
    public ValueTask<IDisposable> WriteLockAsync(CancellationToken cancellationToken) => store.WriteLockAsync(cancellationToken);

    public async Task InTransactionAsync(Func<TrialFlowDbContext, WorkflowDbContext, Task> work, CancellationToken cancellationToken)
    {
        await using var db = Context();
        await store.InTransactionWithAsync(db, wf => work(db, wf), cancellationToken);
    }
}
