using TrialFlow.Core.Trials;

namespace TrialFlow.Intake.Domain;

public enum IntakeOutcome
{
    Archived,
    Duplicate,
    Quarantined,
    Rejected,
}

/// <summary>
/// One object a site sent, whatever became of it: the record behind site monitoring (what arrived when,
/// through which channel, what was rejected and why).
/// </summary>
public sealed class IntakeReceipt : ISiteOwned
{
    private IntakeReceipt() { }

    public IntakeReceipt(string stagingName, Guid trialId, Guid siteId, IntakeChannel channel, DateTime receivedAt, DateTime processedAt, IntakeOutcome outcome,
        string? reason, long sizeBytes, Guid? uploadSessionId, Guid? studyId, Guid? instanceId, Guid? quarantineItemId, string? sender, string? clientReference = null)
    {
        ClientReference = clientReference;
        Id = Guid.NewGuid();
        StagingName = stagingName;
        TrialId = trialId;
        SiteId = siteId;
        Channel = channel;
        ReceivedAt = receivedAt;
        ProcessedAt = processedAt;
        Outcome = outcome;
        Reason = reason;
        SizeBytes = sizeBytes;
        UploadSessionId = uploadSessionId;
        StudyId = studyId;
        InstanceId = instanceId;
        QuarantineItemId = quarantineItemId;
        Sender = sender;
    }

    public Guid Id { get; private set; }

    /// <summary>
    /// The staged object this receipt settles. Saved in the same transaction as the outcome, so an object that is
    /// processed again after a crash is recognised and not counted or archived twice.
    /// </summary>
    public string StagingName { get; private set; } = "";

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public IntakeChannel Channel { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    public DateTime ProcessedAt { get; private set; }

    public IntakeOutcome Outcome { get; private set; }

    public string? Reason { get; private set; }

    public long SizeBytes { get; private set; }

    public Guid? UploadSessionId { get; private set; }

    public Guid? StudyId { get; private set; }

    public Guid? InstanceId { get; private set; }

    public Guid? QuarantineItemId { get; private set; }

    /// <summary>The uploading client's own id for the file (never a file name, which may identify a patient).</summary>
    public string? ClientReference { get; private set; }

    /// <summary>Calling AE title and address for DICOM push, user name for uploads.</summary>
    public string? Sender { get; private set; }
}
