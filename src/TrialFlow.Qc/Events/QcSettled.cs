using TrialFlow.Core.Events;

namespace TrialFlow.Qc.Events;

/// <summary>QC recorded an outcome on a study (it moved to QcPassed or QcFailed): <paramref name="ResultId"/> says why.</summary>
public sealed record QcSettled(Guid StudyId, Guid TrialId, Guid SiteId, Guid ResultId, bool Passed) : IModuleEvent;
