namespace TrialFlow.Dicom.IO.Writing;

/// <summary>How TrialFlow identifies itself in File Meta Information (PS3.7 D.3.3.2).</summary>
public static class TrialFlowImplementation
{
    /// <summary>
    /// Implementation Class UID. A UUID-derived root (PS3.5 B.2: "2.25." + the UUID as a decimal integer) of the fixed
    /// UUID 5f0c9a7e-3b1d-4c2a-9e6f-7a8b9c0d1e2f, so no registration is needed; ".1" names this toolkit.
    /// </summary>
    public const string ImplementationClassUid = "2.25.126342100653991899126216472155929779759.1";

    /// <summary>Implementation Version Name (SH, at most 16 characters).</summary>
    public const string ImplementationVersionName = "TRIALFLOW_010";
}
