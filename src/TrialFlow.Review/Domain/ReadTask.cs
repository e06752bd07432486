using TrialFlow.Core;
using TrialFlow.Core.Trials;

namespace TrialFlow.Review.Domain;

public enum ReadTaskStatus
{
    Assigned,
    InProgress,
    Completed,
}

/// <summary>
/// One reader's assignment to read one timepoint (an imaging study) of a subject. Review records are not site-owned:
/// blinded readers see no site records, so they reach their studies only through tasks, and the review API shows a
/// reader their own tasks only. <see cref="SiteId"/> is kept for the assignment rules and never shown to a reader.
/// </summary>
public sealed class ReadTask : ITrialOwned
{
    private ReadTask() { }

    public ReadTask(Guid trialId, Guid studyId, Guid subjectId, Guid siteId, string timepoint, DateOnly? scanDate, int slot, string readerUserId, DateTime assignedAt, DateTime dueAt)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        StudyId = studyId;
        SubjectId = subjectId;
        SiteId = siteId;
        Timepoint = Guard.Required(timepoint, nameof(timepoint));
        ScanDate = scanDate;
        Slot = slot;
        ReaderUserId = Guard.Required(readerUserId, nameof(readerUserId));
        AssignedAt = assignedAt;
        DueAt = dueAt;
        Status = ReadTaskStatus.Assigned;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid StudyId { get; private set; }

    public Guid SubjectId { get; private set; }

    public Guid SiteId { get; private set; }

    /// <summary>The visit as the charter names it to readers ("Baseline", "Week 6").</summary>
    public string Timepoint { get; private set; } = "";

    /// <summary>The scan date as archived (shifted per subject, so intervals are true): RECIST's clock.</summary>
    public DateOnly? ScanDate { get; private set; }

    /// <summary>Reader 1, reader 2...: a reader keeps their slot for the subject across timepoints.</summary>
    public int Slot { get; private set; }

    public string ReaderUserId { get; private set; } = "";

    public ReadTaskStatus Status { get; private set; }

    public DateTime AssignedAt { get; private set; }

    public DateTime DueAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public void Start()
    {
        if (Status == ReadTaskStatus.Assigned)
            Status = ReadTaskStatus.InProgress;
    }

    public void Complete(DateTime at)
    {
        Status = ReadTaskStatus.Completed;
        CompletedAt ??= at;
    }

    /// <summary>Gives the task to another reader (a study manager's decision, saved with its reason); a completed read stays with its reader.</summary>
    public void Reassign(string readerUserId, DateTime at, DateTime dueAt)
    {
        if (Status == ReadTaskStatus.Completed)
            throw new ReviewStateException($"Read task {Id} is completed: its signed read stays with its reader; correct it with a new version instead.");
        ReaderUserId = Guard.Required(readerUserId, nameof(readerUserId));
        AssignedAt = at;
        DueAt = dueAt;
        Status = ReadTaskStatus.Assigned;
    }
}

/// <summary>A review record cannot make the requested move in its current state; the message says why. Nothing was saved.</summary>
public sealed class ReviewStateException(string message) : InvalidOperationException(message);
