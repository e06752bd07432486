using TrialFlow.Intake.Domain;

namespace TrialFlow.Intake.Pipeline;

/// <summary>A reason to hold the object in quarantine rather than archive it.</summary>
internal sealed class IntakeHold(QuarantineReason reason, string message) : Exception(message)
{
    public QuarantineReason Reason { get; } = reason;
}
