namespace TrialFlow.Intake.Domain;

/// <summary>What an object was sent for: a subject's imaging, or the qualification of the site's scanner.</summary>
public enum IntakePurpose
{
    Subject,

    /// <summary>
    /// A phantom or volunteer scan qualifying a scanner (pushed to the qualification AE title, or uploaded as one):
    /// de-identified and archived apart from subject data, then evaluated by QC against the protocol.
    /// </summary>
    Qualification,
}
