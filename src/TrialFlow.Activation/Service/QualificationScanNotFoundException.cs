namespace TrialFlow.Activation.Service;

/// <summary>No qualification scan with that id, or not one the caller may see (the same to them).</summary>
public sealed class QualificationScanNotFoundException(Guid scanId) : Exception($"Qualification scan {scanId} was not found.");
