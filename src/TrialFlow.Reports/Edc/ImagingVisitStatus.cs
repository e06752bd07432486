namespace TrialFlow.Reports.Edc;

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
/// Where the imaging of one subject's visit stands, as the EDC receives it. Null members are not known to this
/// installation yet (queries arrive with issue 8, reads with issue 9) and are left out of the export, never sent as "no".
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

/// <summary>Open queries per study: the port the query module (issue 8) fills; null when it does not know.</summary>
public interface IOpenQueryCounts
{
    Task<IReadOnlyDictionary<Guid, int>?> ForStudiesAsync(IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken);
}

/// <summary>Read and adjudication progress per study: the port central review (issue 9) fills.</summary>
public interface IReviewProgressSource
{
    Task<IReadOnlyDictionary<Guid, ReviewProgress>?> ForStudiesAsync(IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken);
}

public sealed record ReviewProgress(ReadState Read, AdjudicationState Adjudication, string? OverallResponse);

/// <summary>Until queries exist: nothing known, so the open-queries item is left out.</summary>
public sealed class NoOpenQueryCounts : IOpenQueryCounts
{
    public Task<IReadOnlyDictionary<Guid, int>?> ForStudiesAsync(IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, int>?>(null);
}

/// <summary>Until central review exists: nothing known, so read/adjudicated items fall back to the study status.</summary>
public sealed class NoReviewProgress : IReviewProgressSource
{
    public Task<IReadOnlyDictionary<Guid, ReviewProgress>?> ForStudiesAsync(IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, ReviewProgress>?>(null);
}
