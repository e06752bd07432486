using TrialFlow.Core.Trials;

namespace TrialFlow.Retrieval.Domain;

/// <summary>
/// One study a pull retrieves for one subject (or, with <see cref="PullItemState.NotPlanned"/>, a cohort row that brings
/// none, with why). The study's UID at the site is an identifier: it is kept sealed (<see cref="SourceStudySealed"/>), and
/// the MRN a row was matched by only as the keyed hash intake's link table uses.
/// </summary>
public sealed class PullItem : ISiteOwned
{
    private PullItem() { }

    private PullItem(Guid jobId, Guid siteId, int line, string subjectKey, Guid? subjectId, string matchedBy, string? patientKeyHash)
    {
        Id = Guid.NewGuid();
        (JobId, SiteId, Line, SubjectKey, SubjectId, MatchedBy, PatientKeyHash) = (jobId, siteId, line, subjectKey, subjectId, matchedBy, patientKeyHash);
    }

    public static PullItem Study(Guid jobId, Guid siteId, int line, string subjectKey, Guid subjectId, string matchedBy, string? patientKeyHash,
        byte[] sourceStudySealed, DateOnly? studyDate, string modalities, int? series, int? instances) =>
        new(jobId, siteId, line, subjectKey, subjectId, matchedBy, patientKeyHash)
        {
            SourceStudySealed = sourceStudySealed, StudyDate = studyDate, Modalities = modalities, ExpectedSeries = series, ExpectedInstances = instances,
            State = PullItemState.Pending,
        };

    public static PullItem NotPlanned(Guid jobId, Guid siteId, int line, string subjectKey, Guid? subjectId, string matchedBy, string? patientKeyHash, string problem) =>
        new(jobId, siteId, line, subjectKey, subjectId, matchedBy, patientKeyHash) { State = PullItemState.NotPlanned, Problem = problem };

    public Guid Id { get; private set; }

    public Guid JobId { get; private set; }

    public Guid SiteId { get; private set; }

    /// <summary>The cohort file's line.</summary>
    public int Line { get; private set; }

    public string SubjectKey { get; private set; } = "";

    public Guid? SubjectId { get; private set; }

    /// <summary>patient_id, accession_number or study_instance_uid.</summary>
    public string MatchedBy { get; private set; } = "";

    public string? PatientKeyHash { get; private set; }

    public byte[]? SourceStudySealed { get; private set; }

    public DateOnly? StudyDate { get; private set; }

    public string Modalities { get; private set; } = "";

    public int? ExpectedSeries { get; private set; }

    public int? ExpectedInstances { get; private set; }

    public PullItemState State { get; private set; }

    public string? Problem { get; private set; }

    public int Attempts { get; private set; }

    public DateTime? NextAttemptAt { get; private set; }

    /// <summary>Objects acknowledged into intake in the last attempt (the progress bar; a retry starts again).</summary>
    public int Received { get; private set; }

    /// <summary>Objects the PACS reported it could not send, or intake refused at the door, in the last attempt.</summary>
    public int NotReceived { get; private set; }

    public string? LastError { get; private set; }

    public DateTime? RetrievedAt { get; private set; }

    /// <summary>The receipts intake writes for this study's objects carry this as their client reference.</summary>
    public string ClientReference => ReferenceOf(Id);

    public static string ReferenceOf(Guid itemId) => "pull:" + itemId.ToString("N");

    public void Begin()
    {
        State = PullItemState.Retrieving;
        Attempts++;
        (Received, NotReceived, NextAttemptAt) = (0, 0, null);
    }

    public void Retrieved(int received, int notReceived, string? warning, DateTime now) =>
        (State, Received, NotReceived, LastError, RetrievedAt) = (PullItemState.Retrieved, received, notReceived, warning, now);

    /// <summary>A failed attempt: tried again at <paramref name="retryAt"/>, or given up when that is null.</summary>
    public void Failed(string error, DateTime? retryAt)
    {
        LastError = error.Length > 1000 ? error[..1000] : error;
        (State, NextAttemptAt) = retryAt is null ? (PullItemState.Failed, null) : (PullItemState.Pending, retryAt);
    }

    /// <summary>An attempt cut short by a pause or a restart: it runs again from the start, not counted as a failure.</summary>
    public void Interrupted()
    {
        State = PullItemState.Pending;
        Attempts = Math.Max(0, Attempts - 1);
    }

    public void Cancel() => State = PullItemState.Cancelled;

    public void Reopen() => (State, Attempts, NextAttemptAt) = (PullItemState.Pending, 0, null);
}
