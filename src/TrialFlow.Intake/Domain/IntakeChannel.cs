namespace TrialFlow.Intake.Domain;

/// <summary>The ways a site can send images. Every channel feeds the same intake pipeline.</summary>
public enum IntakeChannel
{
    DicomPush,
    BrowserUpload,
    StowRs,
    Cli,
}
