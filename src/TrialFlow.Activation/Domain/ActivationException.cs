namespace TrialFlow.Activation.Domain;

/// <summary>An activation step that cannot be taken; the message says which and why.</summary>
public sealed class ActivationException(string message) : Exception(message);
