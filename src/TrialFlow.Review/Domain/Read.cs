using TrialFlow.Core;
using TrialFlow.Core.Events;
using TrialFlow.Review.Events;

namespace TrialFlow.Review.Domain;

public enum ReadStatus
{
    Draft,
    Signed,

    /// <summary>A later signed version corrected it; kept unchanged for the record.</summary>
    Superseded,
}

/// <summary>
/// A reader's assessment of one task, one version at a time. Signing locks the version; a correction is a new version
/// with a reason, which supersedes the old one when it is signed. Conclusions (overall response...) are copies of the
/// form's computed fields, kept in columns for comparison, adjudication and metrics. Signing raises <see cref="ReadSigned"/>.
/// </summary>
public sealed class Read : IRaisesEvents
{
    private readonly List<IModuleEvent> _raised = [];

    private Read() { }

    public Read(Guid readTaskId, string readerUserId, string formTemplateId, int formTemplateVersion, DateTime createdAt)
        : this(readTaskId, readerUserId, formTemplateId, formTemplateVersion, createdAt, 1, null, null)
    {
    }

    private Read(Guid readTaskId, string readerUserId, string formTemplateId, int formTemplateVersion, DateTime createdAt, int version, Guid? previousVersionId, string? correctionReason)
    {
        Id = Guid.NewGuid();
        ReadTaskId = readTaskId;
        ReaderUserId = readerUserId;
        FormTemplateId = formTemplateId;
        FormTemplateVersion = formTemplateVersion;
        CreatedAt = createdAt;
        Version = version;
        PreviousVersionId = previousVersionId;
        CorrectionReason = correctionReason;
        Status = ReadStatus.Draft;
    }

    public Guid Id { get; private set; }

    public Guid ReadTaskId { get; private set; }

    public string ReaderUserId { get; private set; } = "";

    public string FormTemplateId { get; private set; } = "";

    public int FormTemplateVersion { get; private set; }

    public int Version { get; private set; }

    public Guid? PreviousVersionId { get; private set; }

    public string? CorrectionReason { get; private set; }

    public ReadStatus Status { get; private set; }

    /// <summary>The form's content as canonical JSON (what the signature hashes).</summary>
    public string Content { get; private set; } = "{}";

    /// <summary>The computed fields as JSON.</summary>
    public string Computed { get; private set; } = "{}";

    public string? OverallResponse { get; private set; }

    public string? BestOverallResponse { get; private set; }

    public string? DateOfProgression { get; private set; }

    public decimal? SumOfDiametersMm { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? SignedAt { get; private set; }

    public Guid? SignatureId { get; private set; }

    /// <summary>The accepted assessment of the timepoint (SDTM RS.RSACPTFL = "Y"): the adjudicator's pick, or reader 1's when the reads agreed.</summary>
    public bool IsAccepted { get; private set; }

    public bool IsLocked => Status != ReadStatus.Draft;

    public void SaveDraft(string content, string computed, string? overallResponse, string? bestOverallResponse, string? dateOfProgression, decimal? sumOfDiametersMm)
    {
        if (IsLocked)
            throw new ReviewStateException($"Read {Id} version {Version} is signed and locked; a correction is a new version with a reason.");
        Content = content;
        Computed = computed;
        OverallResponse = overallResponse;
        BestOverallResponse = bestOverallResponse;
        DateOfProgression = dateOfProgression;
        SumOfDiametersMm = sumOfDiametersMm;
    }

    public void Sign(ElectronicSignature signature)
    {
        if (IsLocked)
            throw new ReviewStateException($"Read {Id} version {Version} is already signed.");
        if (signature.RecordId != Id)
            throw new ArgumentException("The signature is for another record.", nameof(signature));
        Status = ReadStatus.Signed;
        SignedAt = signature.SignedAt;
        SignatureId = signature.Id;
        _raised.Add(new ReadSigned(Id, ReadTaskId, ReaderUserId, Version, signature.SignedAt));
    }

    /// <summary>Starts a correction of this signed version: a new draft version with the same content and the reason.</summary>
    public Read Correct(string reason, DateTime at)
    {
        if (Status != ReadStatus.Signed)
            throw new ReviewStateException($"Only the current signed version can be corrected; read {Id} version {Version} is {Status}.");
        var correction = new Read(ReadTaskId, ReaderUserId, FormTemplateId, FormTemplateVersion, at, Version + 1, Id, Guard.Required(reason, nameof(reason)));
        correction.SaveDraft(Content, Computed, OverallResponse, BestOverallResponse, DateOfProgression, SumOfDiametersMm);
        return correction;
    }

    public void Supersede()
    {
        Status = ReadStatus.Superseded;
        IsAccepted = false;
    }

    public void MarkAccepted(bool accepted) => IsAccepted = accepted;

    IReadOnlyList<IModuleEvent> IRaisesEvents.RaisedEvents() => _raised;

    void IRaisesEvents.ClearRaisedEvents() => _raised.Clear();
}
