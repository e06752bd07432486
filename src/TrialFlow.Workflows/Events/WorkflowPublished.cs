using TrialFlow.Core.Events;

namespace TrialFlow.Workflows.Events;

/// <summary>A workflow version was published: studies of its trial that completed before it may now need an instance.</summary>
public sealed record WorkflowPublished(string DefinitionId, int Version) : IModuleEvent;
