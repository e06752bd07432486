namespace TrialFlow.Intake.Domain;

/// <summary>The ways a site can send images. Every channel feeds the same intake pipeline.</summary>
public enum IntakeChannel
{
    DicomPush,
    BrowserUpload,
    StowRs,
    Cli,

    /// <summary>A retrospective pull: the site's PACS sent the study because TrialFlow asked for it (C-MOVE, C-GET or WADO-RS).</summary>
    Retrieval,
}
