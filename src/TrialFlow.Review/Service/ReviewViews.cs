using TrialFlow.Review.Domain;
using TrialFlow.Review.Forms;

namespace TrialFlow.Review.Service;

/// <summary>A reader's worklist row: only what the charter lets a blinded reader see (no site, no subject key, no other read).</summary>
public sealed record WorklistItem(Guid TaskId, string SubjectCode, string Timepoint, DateOnly? ScanDate, DateTime AssignedAt, DateTime DueAt, ReadTaskStatus Status, bool Overdue);

/// <summary>One series of the task's de-identified study, with its WADO-RS address for the viewer.</summary>
public sealed record SeriesLink(string SeriesInstanceUid, string Modality, int? SeriesNumber, string? Description, int Instances, string WadoRsUrl);

/// <summary>The images of a read task: the de-identified study and its series (the viewer sits on these).</summary>
public sealed record ReadTaskImages(string StudyInstanceUid, IReadOnlyList<SeriesLink> Series);

public sealed record SignatureView(string SignerName, string Meaning, DateTime SignedAt, string ContentSha256);

public sealed record ReadView(Guid ReadId, int Version, ReadStatus Status, FormData Data, IReadOnlyDictionary<string, string?> Computed, string? CorrectionReason, SignatureView? Signature);

/// <summary>The same reader's signed read of an earlier timepoint of the subject (their own baseline and follow-ups).</summary>
public sealed record PriorTimepoint(string Timepoint, DateOnly? ScanDate, FormData Data, IReadOnlyDictionary<string, string?> Computed);

public sealed record ReadTaskView(
    Guid TaskId,
    string SubjectCode,
    string Timepoint,
    DateOnly? ScanDate,
    DateTime DueAt,
    ReadTaskStatus Status,
    bool IsBaseline,
    FormTemplate Template,
    ReadView? Current,
    IReadOnlyList<ReadView> Versions,
    IReadOnlyList<PriorTimepoint> Prior,
    ReadTaskImages Images);

/// <summary>The outcome of saving or signing: the read as it stands, or what is wrong with the form (nothing signed).</summary>
public sealed record ReadSaveResult(ReadView? Read, IReadOnlyList<FormError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

public sealed record AdjudicationItem(Guid AdjudicationId, string SubjectCode, string Timepoint, string Differences, DateTime OpenedAt, DateTime DueAt, AdjudicationStatus Status);

/// <summary>One of the compared reads as the adjudicator sees it: labelled A, B, C... by slot, never by the reader's name.</summary>
public sealed record AdjudicationSide(string Label, Guid ReadId, FormData Data, IReadOnlyDictionary<string, string?> Computed, IReadOnlyList<PriorTimepoint> Prior);

public sealed record AdjudicationView(
    Guid AdjudicationId,
    string SubjectCode,
    string Timepoint,
    string Differences,
    AdjudicationStatus Status,
    FormTemplate Template,
    AdjudicationSide A,
    AdjudicationSide B,
    IReadOnlyList<AdjudicationSide> Sides,
    Guid? AcceptedReadId,
    string? Rationale,
    SignatureView? Signature,
    ReadTaskImages Images);

/// <summary>A task as a study manager sees it (unblinded): who reads what, for reassignment.</summary>
public sealed record ManagedTask(Guid TaskId, string SubjectKey, string SiteNumber, string Timepoint, int Slot, string ReaderUserId, string ReaderName, ReadTaskStatus Status, DateTime DueAt);

public sealed record PoolMember(Guid Id, string UserId, string UserName, string DisplayName, ReviewerRole Role, string TrainingRecord, DateOnly QualifiedOn, bool Active, int OpenTasks);

/// <summary>A user who may join the review pool in <paramref name="Role"/> (they hold that role).</summary>
public sealed record ReviewerCandidate(string UserName, string DisplayName, ReviewerRole Role);
