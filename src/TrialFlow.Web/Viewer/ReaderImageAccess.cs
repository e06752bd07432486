using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;

namespace TrialFlow.Web.Viewer;

/// <summary>
/// What a blinded reader may see of the images: the study of their own read task and the studies of their own earlier
/// tasks for the same subject (the timepoints they compare against), nothing else. An adjudicator sees the study of an
/// adjudication assigned to them beside the subject's earlier reviewed timepoints. Neither sees site records, so the
/// records are read as the system once the task is known to be theirs; labels are the charter's timepoint names.
/// </summary>
public sealed class ReaderImageAccess(DatabaseOptions database, ViewerManifestBuilder builder)
{
    private static readonly Actor ViewerActor = Actor.System("review-images");

    /// <summary>The baseline (the reader's earliest earlier timepoint) beside the task's study; null when the task is not theirs.</summary>
    public async Task<IReadOnlyList<ViewerStudy>?> ManifestAsync(Guid taskId, string readerUserId, CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, ViewerActor);
        return await BuildAsync(db, await VisibleAsync(db, taskId, readerUserId, cancellationToken), $"/api/review/tasks/{taskId}", cancellationToken);
    }

    /// <summary>The archived object of an instance the reader may see through this task; null otherwise.</summary>
    public async Task<string?> ArchivedInstanceAsync(Guid taskId, string readerUserId, Guid studyId, string sopInstanceUid, CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, ViewerActor);
        return await InstanceAsync(db, await VisibleAsync(db, taskId, readerUserId, cancellationToken), studyId, sopInstanceUid, cancellationToken);
    }

    /// <summary>The subject's baseline beside the adjudicated study; null when the adjudication is not assigned to them.</summary>
    public async Task<IReadOnlyList<ViewerStudy>?> AdjudicationManifestAsync(Guid adjudicationId, string adjudicatorUserId, CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, ViewerActor);
        return await BuildAsync(db, await VisibleToAdjudicatorAsync(db, adjudicationId, adjudicatorUserId, cancellationToken), $"/api/review/adjudications/{adjudicationId}", cancellationToken);
    }

    /// <summary>The archived object of an instance the adjudicator may see through this adjudication; null otherwise.</summary>
    public async Task<string?> AdjudicationInstanceAsync(Guid adjudicationId, string adjudicatorUserId, Guid studyId, string sopInstanceUid, CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, ViewerActor);
        return await InstanceAsync(db, await VisibleToAdjudicatorAsync(db, adjudicationId, adjudicatorUserId, cancellationToken), studyId, sopInstanceUid, cancellationToken);
    }

    /// <summary>The earliest visible timepoint beside the latest, each with frame URLs under <paramref name="route"/>.</summary>
    private async Task<IReadOnlyList<ViewerStudy>?> BuildAsync(TrialFlowDbContext db, List<(Guid StudyId, string Timepoint)>? visible, string route, CancellationToken cancellationToken)
    {
        if (visible is null)
            return null;
        var shown = visible.Count > 1 ? [visible[0], visible[^1]] : visible;
        var studies = new List<ViewerStudy>();
        foreach (var (studyId, timepoint) in shown)
            if (await builder.BuildAsync(db, studyId, timepoint, (_, _, instance, frame) => $"{route}/frames/{studyId}/{instance.SopInstanceUid}/{frame}", cancellationToken) is { } study)
                studies.Add(study);
        return studies;
    }

    private static async Task<string?> InstanceAsync(TrialFlowDbContext db, List<(Guid StudyId, string Timepoint)>? visible, Guid studyId, string sopInstanceUid, CancellationToken cancellationToken)
    {
        if (visible is null || visible.All(v => v.StudyId != studyId))
            return null;
        return await db.Instances.AsNoTracking().Where(i => i.SopInstanceUid == sopInstanceUid && i.Series!.StudyId == studyId)
            .Select(i => i.ArchiveSha256).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The adjudicated study last, after the subject's earlier reviewed timepoints (any reader's tasks) in scan order.</summary>
    private static async Task<List<(Guid StudyId, string Timepoint)>?> VisibleToAdjudicatorAsync(TrialFlowDbContext db, Guid adjudicationId, string adjudicatorUserId, CancellationToken cancellationToken)
    {
        var adjudication = await db.Adjudications.AsNoTracking()
            .Where(a => a.Id == adjudicationId && a.AdjudicatorUserId == adjudicatorUserId).Select(a => new { a.StudyId, a.SubjectId }).SingleOrDefaultAsync(cancellationToken);
        if (adjudication is null)
            return null;
        var tasks = await db.ReadTasks.AsNoTracking().Where(t => t.SubjectId == adjudication.SubjectId)
            .Select(t => new { t.StudyId, t.Timepoint, t.ScanDate }).ToListAsync(cancellationToken);
        var current = tasks.FirstOrDefault(t => t.StudyId == adjudication.StudyId);
        var earlier = tasks.Where(t => current is not null && t.StudyId != adjudication.StudyId && t.ScanDate < current.ScanDate)
            .GroupBy(t => t.StudyId).Select(g => g.First()).OrderBy(t => t.ScanDate);
        return [.. earlier.Select(e => (e.StudyId, e.Timepoint)), (adjudication.StudyId, current?.Timepoint ?? "Adjudicated timepoint")];
    }

    /// <summary>The task's study last, after the reader's own earlier timepoints of the subject in scan order.</summary>
    private static async Task<List<(Guid StudyId, string Timepoint)>?> VisibleAsync(TrialFlowDbContext db, Guid taskId, string readerUserId, CancellationToken cancellationToken)
    {
        var task = await db.ReadTasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId && t.ReaderUserId == readerUserId, cancellationToken);
        if (task is null)
            return null;
        var earlier = await db.ReadTasks.AsNoTracking()
            .Where(t => t.SubjectId == task.SubjectId && t.ReaderUserId == readerUserId && t.StudyId != task.StudyId && t.ScanDate < task.ScanDate)
            .OrderBy(t => t.ScanDate).Select(t => new { t.StudyId, t.Timepoint }).ToListAsync(cancellationToken);
        return [.. earlier.Select(e => (e.StudyId, e.Timepoint)), (task.StudyId, task.Timepoint)];
    }
}
