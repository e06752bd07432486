using TrialFlow.Core.Events;

namespace TrialFlow.Intake.Events;

/// <summary>A qualification scan finished arriving (its upload was submitted, or its push went quiet): its evaluation starts here.</summary>
public sealed record QualificationScanCompleted(Guid ScanId, Guid TrialId, Guid SiteId, DateTime CompletedAt) : IModuleEvent;
