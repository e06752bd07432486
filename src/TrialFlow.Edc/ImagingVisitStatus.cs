using TrialFlow.Core.Persistence;

namespace TrialFlow.Edc;

public enum QcState
{
    NotDone,
    Passed,
    PassedWithFindings,
    Failed,
}

public enum ReadState
{
    NotRead,
    InProgress,
    Read,
}

public enum AdjudicationState
{
    NotRequired,
    Pending,
    Done,
}

/// <summary>
/// Where the imaging of one subject's visit stands, as the EDC receives it. Null members are not known (yet) and are
/// left out of the export, never sent as "no".
/// </summary>
public sealed record ImagingVisitStatus(
    string SubjectKey,
    string SiteNumber,
    string VisitKey,
    string? StudyInstanceUid,
    DateOnly? ReceivedDate,
    QcState Qc,
    int? OpenQueries,
    ReadState? Read,
    AdjudicationState? Adjudication,
    string? OverallResponse)
{
    public bool Received => StudyInstanceUid is not null;
}

/// <summary>Open queries per study (not resolved, closed or cancelled), read through the caller's context.</summary>
public interface IOpenQueryCounts
{
    Task<IReadOnlyDictionary<Guid, int>?> ForStudiesAsync(TrialFlowDbContext db, IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken);
}

/// <summary>Read and adjudication progress per study, read through the caller's context; studies without read tasks are absent.</summary>
public interface IReviewProgressSource
{
    Task<IReadOnlyDictionary<Guid, ReviewProgress>?> ForStudiesAsync(TrialFlowDbContext db, IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken);
}

/// <param name="Adjudication">Null while it is not known yet whether the reads need adjudication (not all signed, or not compared yet).</param>
/// <param name="OverallResponse">The accepted assessment's overall response in CDISC terms; null until one is accepted.</param>
public sealed record ReviewProgress(ReadState Read, AdjudicationState? Adjudication, string? OverallResponse);

/// <summary>A host without the query module: nothing known, so the open-queries item is left out.</summary>
public sealed class NoOpenQueryCounts : IOpenQueryCounts
{
    public Task<IReadOnlyDictionary<Guid, int>?> ForStudiesAsync(TrialFlowDbContext db, IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, int>?>(null);
}

/// <summary>A host without central review: nothing known, so read/adjudicated items fall back to the study status.</summary>
public sealed class NoReviewProgress : IReviewProgressSource
{
    public Task<IReadOnlyDictionary<Guid, ReviewProgress>?> ForStudiesAsync(TrialFlowDbContext db, IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, ReviewProgress>?>(null);
}
