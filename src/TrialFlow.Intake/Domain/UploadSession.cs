using TrialFlow.Core.Trials;

namespace TrialFlow.Intake.Domain;

public enum UploadSessionStatus
{
    Open,
    Submitted,
    Abandoned,
}

/// <summary>
/// A batch a site user uploads for one subject and visit (browser, CLI). Submitting it completes the
/// studies it delivered, which is the event QC and the workflow start from.
/// </summary>
public sealed class UploadSession : ISiteOwned
{
    private UploadSession() { }

    public UploadSession(Guid trialId, Guid siteId, Guid? subjectId, Guid? visitId, IntakeChannel channel, string createdBy, DateTime createdAt,
        IntakePurpose purpose = IntakePurpose.Subject)
    {
        if (purpose == IntakePurpose.Qualification && (subjectId is not null || visitId is not null))
            throw new ArgumentException("A qualification scan belongs to no subject or visit.", nameof(purpose));
        Purpose = purpose;
        Id = Guid.NewGuid();
        TrialId = trialId;
        SiteId = siteId;
        SubjectId = subjectId;
        VisitId = visitId;
        Channel = channel;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        Status = UploadSessionStatus.Open;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid? SubjectId { get; private set; }

    public Guid? VisitId { get; private set; }

    public IntakeChannel Channel { get; private set; }

    /// <summary>Subject data, or a scanner qualification scan.</summary>
    public IntakePurpose Purpose { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public UploadSessionStatus Status { get; private set; }

    public DateTime? SubmittedAt { get; private set; }

    /// <summary>Files whose upload completed and which were handed to intake.</summary>
    public int FilesReceived { get; private set; }

    public void RecordFileReceived()
    {
        if (Status != UploadSessionStatus.Open)
            throw new InvalidOperationException($"Upload session {Id} is {Status}: no more files.");
        FilesReceived++;
    }

    public void Submit(DateTime at)
    {
        if (Status != UploadSessionStatus.Open)
            throw new InvalidOperationException($"Upload session {Id} is already {Status}.");
        Status = UploadSessionStatus.Submitted;
        SubmittedAt = at;
    }
}
