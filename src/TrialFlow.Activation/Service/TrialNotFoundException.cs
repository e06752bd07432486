namespace TrialFlow.Activation.Service;

/// <summary>No trial with this id, or none the caller may see (which, to them, is the same).</summary>
public sealed class TrialNotFoundException(Guid trialId) : Exception($"Trial {trialId} was not found.");
