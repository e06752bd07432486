using TrialFlow.Core.Events;

namespace TrialFlow.Review.Events;

/// <summary>An adjudicator accepted one of the compared reads, signed.</summary>
public sealed record AdjudicationDecided(Guid AdjudicationId, Guid TrialId, Guid StudyId, Guid AcceptedReadId, DateTime DecidedAt) : IModuleEvent;
