using TrialFlow.Core;
using TrialFlow.Core.Trials;

namespace TrialFlow.Intake.Domain;

/// <summary>Why intake held an object back instead of archiving it.</summary>
public enum QuarantineReason
{
    UnknownSubject,
    PatientIdConflict,
    VisitOutsideWindow,
    UnreadableFile,
    BurnedInAnnotationRisk,
    ContentConflict,

    /// <summary>The pipeline failed on the object several times (a bug or a broken dependency); held so it is not lost.</summary>
    ProcessingFailed,

    /// <summary>The site is not Active (Planned, Qualifying, Suspended, Closed): held until it is activated.</summary>
    SiteNotActive,

    /// <summary>
    /// An image from a scanner the site has not qualified for its modality. Released after the scanner is qualified, or
    /// accepted as a protocol deviation by a data manager's release (QC-SCANNER then reports it).
    /// </summary>
    ScannerNotQualified,
}

public static class QuarantineReasons
{
    /// <summary>
    /// Whether an object held for <paramref name="reason"/> can go through intake again as it came, without a data manager
    /// choosing its subject: when nothing was wrong with the object itself — our processing failed, its site was not yet
    /// Active (released once it is), or its scanner was not qualified (released once it is, or accepted as a deviation).
    /// </summary>
    public static bool ReleasableAsItCame(QuarantineReason reason) =>
        reason is QuarantineReason.ProcessingFailed or QuarantineReason.SiteNotActive or QuarantineReason.ScannerNotQualified;
}

public enum QuarantineStatus
{
    Open,
    Released,
    Rejected,
}

/// <summary>
/// An object intake could not archive. Its identified bytes stay encrypted in the quarantine store
/// (<see cref="BlobName"/>); this record holds only what a data manager needs to decide, never PHI.
/// Nothing in quarantine is ever deleted without a recorded decision.
/// </summary>
public sealed class QuarantineItem : ISiteOwned
{
    private QuarantineItem() { }

    public QuarantineItem(Guid trialId, Guid siteId, IntakeChannel channel, QuarantineReason reason, string detail, string blobName,
        DateTime receivedAt, Guid? uploadSessionId, string? modality, DateOnly? studyDate, string? sopClassUid)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        SiteId = siteId;
        Channel = channel;
        Reason = reason;
        Detail = detail;
        BlobName = blobName;
        ReceivedAt = receivedAt;
        UploadSessionId = uploadSessionId;
        Modality = modality;
        StudyDate = studyDate;
        SopClassUid = sopClassUid;
        Status = QuarantineStatus.Open;
    }

    /// <summary>
    /// Records what lets a data manager tell held objects apart without seeing PHI: which study and series they belong
    /// to (as keyed hashes, never the UIDs) and the last four characters of the site's Patient ID.
    /// </summary>
    public QuarantineItem WithGrouping(string? studyKey, string? seriesKey, int? seriesNumber, string? patientIdHint)
    {
        StudyKey = studyKey;
        SeriesKey = seriesKey;
        SeriesNumber = seriesNumber;
        PatientIdHint = patientIdHint;
        return this;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public IntakeChannel Channel { get; private set; }

    public QuarantineReason Reason { get; private set; }

    /// <summary>What was wrong, in words a data manager can act on (no patient identifiers).</summary>
    public string Detail { get; private set; } = "";

    /// <summary>Name of the encrypted object in the quarantine store.</summary>
    public string BlobName { get; private set; } = "";

    public DateTime ReceivedAt { get; private set; }

    public Guid? UploadSessionId { get; private set; }

    public string? Modality { get; private set; }

    public DateOnly? StudyDate { get; private set; }

    public string? SopClassUid { get; private set; }

    /// <summary>A keyed hash of the Study Instance UID: items of one study share it (null when unreadable).</summary>
    public string? StudyKey { get; private set; }

    /// <summary>A keyed hash of the Series Instance UID.</summary>
    public string? SeriesKey { get; private set; }

    public int? SeriesNumber { get; private set; }

    /// <summary>The site's Patient ID masked to its last four characters (e.g. "…4821"), enough to recognise, not to identify.</summary>
    public string? PatientIdHint { get; private set; }

    public QuarantineStatus Status { get; private set; }

    public DateTime? ResolvedAt { get; private set; }

    public string? Resolution { get; private set; }

    /// <summary>The subject a data manager assigned when releasing the item.</summary>
    public Guid? AssignedSubjectId { get; private set; }

    public Guid? AssignedVisitId { get; private set; }

    /// <summary>
    /// Sends the object through intake again: with the subject (and visit) a data manager chose, or, when none is
    /// chosen, as it first arrived (an object held because processing failed, released after the fix).
    /// </summary>
    public void Release(Guid? subjectId, Guid? visitId, string resolution, DateTime at)
    {
        EnsureOpen();
        Status = QuarantineStatus.Released;
        AssignedSubjectId = subjectId;
        AssignedVisitId = visitId;
        Resolution = Guard.Required(resolution, nameof(resolution));
        ResolvedAt = at;
    }

    public void Reject(string reason, DateTime at)
    {
        EnsureOpen();
        Status = QuarantineStatus.Rejected;
        Resolution = Guard.Required(reason, nameof(reason));
        ResolvedAt = at;
    }

    private void EnsureOpen()
    {
        if (Status != QuarantineStatus.Open)
            throw new InvalidOperationException($"Quarantine item {Id} is already {Status}.");
    }
}
