using System.Collections.Concurrent;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// WorkflowCore's registry, backed by the published versions in the database: a version this node has not seen yet
/// (published elsewhere, or before a restart) is loaded and compiled on first use instead of leaving the instance
/// retrying "definition not found" forever. Versions are immutable, so a cached compilation never goes stale.
/// </summary>
public sealed class WorkflowDefinitionRegistry(WorkflowStore store, GraphCompiler compiler) : IWorkflowRegistry
{
    private readonly ConcurrentDictionary<(string Id, int Version), WorkflowDefinition> _compiled = new();

    public WorkflowDefinition GetDefinition(string workflowId, int? version = null)
    {
        using var db = store.Context();
        var wanted = version ?? Latest(db, workflowId);
        if (wanted is not { } v)
            return null!;
        if (_compiled.TryGetValue((workflowId, v), out var cached))
            return cached;
        var json = db.Versions.Where(x => x.DefinitionId == workflowId && x.Version == v).Select(x => x.Json).SingleOrDefault();
        if (json is null)
            return null!;
        return _compiled.GetOrAdd((workflowId, v), _ => compiler.Compile(WorkflowJson.Parse(json, $"{workflowId} v{v}")));
    }

    private int? Latest(WorkflowDbContext db, string workflowId)
    {
        var published = db.Versions.Where(v => v.DefinitionId == workflowId).Max(v => (int?)v.Version);
        var registered = _compiled.Keys.Where(k => k.Id == workflowId).Select(k => (int?)k.Version).Max();
        return published > registered || registered is null ? published : registered;
    }

    public bool IsRegistered(string workflowId, int version) => GetDefinition(workflowId, version) is not null;

    /// <summary>Registers a definition compiled elsewhere (tests, the benchmark's in-memory peer).</summary>
    public void RegisterWorkflow(WorkflowDefinition definition) => _compiled[(definition.Id, definition.Version)] = definition;

    public void RegisterWorkflow(IWorkflow workflow) =>
        throw new NotSupportedException("TrialFlow workflows are JSON definitions published to the database, not IWorkflow classes.");

    public void RegisterWorkflow<TData>(IWorkflow<TData> workflow) where TData : new() =>
        throw new NotSupportedException("TrialFlow workflows are JSON definitions published to the database, not IWorkflow classes.");

    public void DeregisterWorkflow(string workflowId, int version) => _compiled.TryRemove((workflowId, version), out _);

    public IEnumerable<WorkflowDefinition> GetAllDefinitions() => _compiled.Values;
}
