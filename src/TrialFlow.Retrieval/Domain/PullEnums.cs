namespace TrialFlow.Retrieval.Domain;

/// <summary>How the studies come from the site's PACS.</summary>
public enum PullMethod
{
    /// <summary>C-MOVE: the PACS opens its own association to TrialFlow's SCP (it must know TrialFlow's AE title and address).</summary>
    Move,

    /// <summary>C-GET: the studies come back on TrialFlow's own association, for PACS that cannot route to TrialFlow.</summary>
    Get,

    /// <summary>WADO-RS from the PACS's DICOMweb service.</summary>
    DicomWeb,
}

public enum PullJobState
{
    /// <summary>Planned and waiting for a person to run it.</summary>
    Planned,
    Running,
    Paused,
    /// <summary>Every study was retrieved, failed after its retries, or could not be planned.</summary>
    Completed,
    Cancelled,
}

public enum PullItemState
{
    /// <summary>A cohort row that brings nothing until a person decides (no study found, subject not registered, a study two rows reach).</summary>
    NotPlanned,
    Pending,
    Retrieving,
    Retrieved,
    /// <summary>Given up after the job's retries; the last error says why. Retrying the job tries it again.</summary>
    Failed,
    Cancelled,
}
