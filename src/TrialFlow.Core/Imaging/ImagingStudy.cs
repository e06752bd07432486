using TrialFlow.Core.Events;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Imaging;

/// <summary>
/// A de-identified imaging study in the archive. UIDs here are the remapped ones: the originals never
/// leave intake's encrypted staging.
/// </summary>
public sealed class ImagingStudy : ISiteOwned, ISubmittedRecord, IRaisesEvents
{
    private readonly List<ImagingSeries> _series = [];
    private readonly List<IModuleEvent> _raised = [];

    private ImagingStudy() { }

    public ImagingStudy(Guid trialId, Guid siteId, Guid subjectId, Guid? visitId, string studyInstanceUid, DateTime receivedAt)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        SiteId = siteId;
        SubjectId = subjectId;
        VisitId = visitId;
        StudyInstanceUid = Uid(studyInstanceUid);
        ReceivedAt = receivedAt;
        LastReceivedAt = receivedAt;
        Status = StudyStatus.Receiving;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid SubjectId { get; private set; }

    public Guid? VisitId { get; private set; }

    /// <summary>De-identified Study Instance UID (0020,000D).</summary>
    public string StudyInstanceUid { get; private set; } = "";

    /// <summary>Study Date as archived: shifted by the subject's de-identification offset, so only intervals are true.</summary>
    public DateOnly? StudyDate { get; private set; }

    /// <summary>
    /// Days from the subject's baseline visit to the scan, computed at intake from the dates before they were shifted.
    /// Null when the subject had no baseline date yet or the study had no date. QC checks visit windows with it.
    /// </summary>
    public int? StudyDay { get; private set; }

    /// <summary>Modalities in Study, backslash-separated as in DICOM (e.g. "CT\PT").</summary>
    public string Modalities { get; private set; } = "";

    public string? Description { get; private set; }

    public int NumberOfSeries { get; private set; }

    public int NumberOfInstances { get; private set; }

    public StudyStatus Status { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    /// <summary>When the latest instance of this study arrived; a pushed study is complete once this is old enough.</summary>
    public DateTime LastReceivedAt { get; private set; }

    public IReadOnlyList<ImagingSeries> Series => _series;

    public bool IsSubmitted => Status != StudyStatus.Receiving;

    public void Describe(DateOnly? studyDate, string? description, int? studyDay = null)
    {
        StudyDate = studyDate;
        Description = description;
        StudyDay = studyDay;
    }

    public ImagingSeries AddSeries(string seriesInstanceUid, string modality, int? seriesNumber, string? description)
    {
        var series = new ImagingSeries(Id, SiteId, seriesInstanceUid, modality, seriesNumber, description);
        _series.Add(series);
        return series;
    }

    /// <summary>Recomputes the counts and modalities from the series; call after instances were added.</summary>
    public void Recount()
    {
        NumberOfSeries = _series.Count;
        NumberOfInstances = _series.Sum(s => s.NumberOfInstances);
        Modalities = string.Join('\\', _series.Select(s => s.Modality).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    public void RecordArrival(DateTime at)
    {
        if (at > LastReceivedAt)
            LastReceivedAt = at;
    }

    /// <summary>Intake is done (upload submitted or push stable): the event later stages start from.</summary>
    public void MarkComplete(DateTime completedAt)
    {
        // Once: a repeated completion (a re-submitted session) must not start QC and workflows again.
        if (!MoveTo(StudyStatus.Complete))
            return;
        CompletedAt = completedAt;
        _raised.Add(new StudyCompleted(Id, TrialId, SiteId, completedAt));
    }

    /// <summary>QC settled the study: passed (with or without findings) or failed. QC may run again until review starts.</summary>
    public void RecordQcOutcome(bool passed) => MoveTo(passed ? StudyStatus.QcPassed : StudyStatus.QcFailed);

    /// <summary>Central review of the study started (readers assigned).</summary>
    public void StartReview() => MoveTo(StudyStatus.InReview);

    /// <summary>Central review of the study ended (reads signed, adjudicated where needed).</summary>
    public void MarkReviewed() => MoveTo(StudyStatus.Reviewed);

    /// <summary>
    /// Moves the study to <paramref name="status"/> if its lifecycle allows it (see <see cref="StudyLifecycle"/>); a
    /// study already there stays, so a repeated step changes nothing. For callers that hold the target as data (a
    /// workflow's SetStudyStatus); code that knows its intent calls the named transitions.
    /// </summary>
    /// <returns>Whether the status changed.</returns>
    /// <exception cref="StudyTransitionException">The lifecycle does not go from the current status to this one.</exception>
    public bool MoveTo(StudyStatus status)
    {
        if (status == Status)
            return false;
        if (!StudyLifecycle.Allows(Status, status))
            throw new StudyTransitionException(StudyInstanceUid, Status, status);
        Status = status;
        return true;
    }

    IReadOnlyList<IModuleEvent> IRaisesEvents.RaisedEvents() => _raised;

    void IRaisesEvents.ClearRaisedEvents() => _raised.Clear();

    internal static string Uid(string uid)
    {
        // PS3.5 9.1: digits and dots, at most 64 characters, no leading zeros in components.
        if (string.IsNullOrEmpty(uid) || uid.Length > 64 || uid.Any(c => c != '.' && !char.IsAsciiDigit(c)))
            throw new ArgumentException($"'{uid}' is not a valid DICOM UID.", nameof(uid));
        return uid;
    }
}

public enum StudyStatus
{
    Receiving,
    Complete,
    QcPassed,
    QcFailed,
    InReview,
    Reviewed,
}
