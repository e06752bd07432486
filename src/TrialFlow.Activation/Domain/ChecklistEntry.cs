using TrialFlow.Core;
using TrialFlow.Core.Trials;

namespace TrialFlow.Activation.Domain;

/// <summary>
/// One checklist item done for one site (and, for per-user items such as training, one person): when, by whom (the
/// audit trail keeps the account), and the evidence (a document reference, a certificate number, a date).
/// </summary>
public sealed class ChecklistEntry : ISiteOwned
{
    private ChecklistEntry() { }

    public ChecklistEntry(Guid trialId, Guid siteId, string itemKey, string? userName, string evidence, string doneBy, DateTime doneAt, EvidenceFile? file = null)
    {
        EvidenceFileName = file?.FileName;
        EvidenceFileSha256 = file?.Sha256;
        EvidenceFileSize = file?.Size;
        EvidenceFileContentType = file?.ContentType;
        Id = Guid.NewGuid();
        TrialId = trialId;
        SiteId = siteId;
        ItemKey = Guard.Required(itemKey, nameof(itemKey));
        UserName = string.IsNullOrWhiteSpace(userName) ? null : userName.Trim();
        Evidence = Guard.Required(evidence, nameof(evidence));
        DoneBy = Guard.Required(doneBy, nameof(doneBy));
        DoneAt = doneAt;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public string ItemKey { get; private set; } = "";

    /// <summary>The person a per-user item (training) is about; null for site-level items.</summary>
    public string? UserName { get; private set; }

    public string Evidence { get; private set; } = "";

    /// <summary>A file attached as evidence (stored content-addressed by <see cref="EvidenceFileSha256"/>), or null.</summary>
    public string? EvidenceFileName { get; private set; }

    public string? EvidenceFileSha256 { get; private set; }

    public long? EvidenceFileSize { get; private set; }

    public string? EvidenceFileContentType { get; private set; }

    public EvidenceFile? File => EvidenceFileSha256 is null ? null : new(EvidenceFileName!, EvidenceFileSha256, EvidenceFileSize ?? 0, EvidenceFileContentType ?? "application/octet-stream");

    /// <summary>Display name of the person who recorded it.</summary>
    public string DoneBy { get; private set; } = "";

    public DateTime DoneAt { get; private set; }
}

/// <summary>A file kept as evidence: its name as uploaded, the SHA-256 it is stored and verified by, its size and type.</summary>
public sealed record EvidenceFile(string FileName, string Sha256, long Size, string ContentType);
