using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Review;

namespace TrialFlow.Web.Viewer;

/// <summary>
/// What a blinded reader may see of the images: the study of their own read task and the studies of their own earlier
/// tasks for the same subject (the timepoints they compare against), nothing else. Readers see no site records, so the
/// records are read as the system once the task is known to be theirs; labels are the charter's timepoint names.
/// </summary>
public sealed class ReaderImageAccess(DatabaseOptions database, ViewerManifestBuilder builder)
{
    private static readonly Actor ViewerActor = Actor.System("review-images");

    /// <summary>The baseline (the reader's earliest earlier timepoint) beside the task's study; null when the task is not theirs.</summary>
    public async Task<IReadOnlyList<ViewerStudy>?> ManifestAsync(Guid taskId, string readerUserId, CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, ViewerActor);
        var visible = await VisibleAsync(db, taskId, readerUserId, cancellationToken);
        if (visible is null)
            return null;
        var shown = visible.Count > 1 ? [visible[0], visible[^1]] : visible;
        var studies = new List<ViewerStudy>();
        foreach (var (studyId, timepoint) in shown)
            if (await builder.BuildAsync(db, studyId, timepoint, (_, _, instance, frame) => $"/api/review/tasks/{taskId}/frames/{studyId}/{instance.SopInstanceUid}/{frame}", cancellationToken) is { } study)
                studies.Add(study);
        return studies;
    }

    /// <summary>The archived object of an instance the reader may see through this task; null otherwise.</summary>
    public async Task<string?> ArchivedInstanceAsync(Guid taskId, string readerUserId, Guid studyId, string sopInstanceUid, CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, ViewerActor);
        var visible = await VisibleAsync(db, taskId, readerUserId, cancellationToken);
        if (visible is null || visible.All(v => v.StudyId != studyId))
            return null;
        return await db.Instances.AsNoTracking().Where(i => i.SopInstanceUid == sopInstanceUid && i.Series!.StudyId == studyId)
            .Select(i => i.ArchiveSha256).SingleOrDefaultAsync(cancellationToken);
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
