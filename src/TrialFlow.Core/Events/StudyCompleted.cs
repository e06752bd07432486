namespace TrialFlow.Core.Events;

/// <summary>A study finished arriving (upload submitted, or a pushed study went quiet): QC and workflows start here.</summary>
public sealed record StudyCompleted(Guid StudyId, Guid TrialId, Guid SiteId, DateTime CompletedAt) : IModuleEvent;
