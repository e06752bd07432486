using System.Text.Json;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Workflows.Runtime;

namespace TrialFlow.Workflows.Publishing;

/// <summary>
/// A study manager's explicit choice to start a bound workflow on studies that completed before it was bound (by status),
/// with a reason, audited. Binding alone never does this: re-running QC or raising queries on the past must be asked for.
/// </summary>
public sealed class WorkflowBackfill(WorkflowDefinitions definitions, StudyWorkflowStarter starter, DatabaseOptions database, TimeProvider time)
{
    public async Task<int> StartAsync(string definitionId, IReadOnlyCollection<string> statuses, string reason, Actor actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("Starting a workflow on existing studies requires a reason.", nameof(reason));
        if (statuses.Count == 0)
            throw new ArgumentException("Choose the statuses of the existing studies to start it on.", nameof(statuses));
        var record = await definitions.FindAsync(definitionId, cancellationToken) ?? throw new KeyNotFoundException($"Workflow '{definitionId}' does not exist.");
        if (record.TrialId is not { } trial)
            throw new InvalidOperationException($"Workflow '{definitionId}' is bound to no trial.");
        if (!actor.Scope.AllowsTrial(trial))
            throw new TrialAccessDeniedException("WorkflowDefinition", definitionId, trial);
        var started = await starter.StartExistingAsync(definitionId, statuses, cancellationToken);
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, actor, time);
        db.RecordEvent("WorkflowStartedOnExistingStudies", "WorkflowDefinition", definitionId,
            details: JsonSerializer.Serialize(new { statuses = statuses.Order(StringComparer.Ordinal), started, appliesFrom = record.AppliesFrom, reason = reason.Trim() }));
        await db.SaveChangesAsync(reason.Trim(), cancellationToken);
        return started;
    }
}
