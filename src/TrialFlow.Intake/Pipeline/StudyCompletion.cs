using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Access;
using TrialFlow.Core.Imaging;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// Decides when a study has finished arriving — the event QC and the workflow start from. An upload session completes
/// its studies when the user submits it; a DICOM-pushed study completes once no instance arrived for the stable age.
/// </summary>
public sealed class StudyCompletion(DatabaseOptions database, IntakeOptions options, TimeProvider time)
{
    private static readonly Actor CompletionActor = Actor.System("intake");

    /// <summary>Completes pushed studies that have been quiet for the stable age; returns them.</summary>
    public async Task<IReadOnlyList<ImagingStudy>> CompleteStableStudiesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var quietSince = now - options.StableStudyAge;
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, CompletionActor, time);
        // Studies still fed by an open upload session wait for its submission instead.
        var inOpenSessions = db.IntakeReceipts
            .Where(r => r.UploadSessionId != null && r.StudyId != null)
            .Join(db.UploadSessions.Where(u => u.Status == UploadSessionStatus.Open), r => r.UploadSessionId, u => u.Id, (r, _) => r.StudyId);
        var stable = await db.Studies
            .Where(s => s.Status == StudyStatus.Receiving && s.LastReceivedAt <= quietSince && !inOpenSessions.Contains(s.Id))
            .ToListAsync(cancellationToken);
        foreach (var study in stable)
            study.MarkComplete(now);
        await db.SaveChangesAsync(cancellationToken);
        return stable;
    }

    /// <summary>Completes pushed qualification scans that have been quiet for the stable age, as studies are; returns them.</summary>
    public async Task<IReadOnlyList<QualificationScan>> CompleteStableQualificationScansAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var quietSince = now - options.StableStudyAge;
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, CompletionActor, time);
        var openSessions = db.UploadSessions.Where(u => u.Status == UploadSessionStatus.Open).Select(u => (Guid?)u.Id);
        var stable = await db.QualificationScans
            .Where(q => q.Status == QualificationScanStatus.Receiving && q.LastReceivedAt <= quietSince && !openSessions.Contains(q.UploadSessionId))
            .ToListAsync(cancellationToken);
        foreach (var scan in stable)
            scan.MarkComplete(now);
        await db.SaveChangesAsync(cancellationToken);
        return stable;
    }

    /// <summary>Submits an upload session and completes the studies (or qualification scans) it delivered; returns the studies.</summary>
    public static async Task<IReadOnlyList<ImagingStudy>> SubmitAsync(TrialFlowDbContext db, UploadSession session, DateTime now, CancellationToken cancellationToken)
    {
        session.Submit(now);
        var studyIds = await db.IntakeReceipts.Where(r => r.UploadSessionId == session.Id && r.StudyId != null).Select(r => r.StudyId!.Value).Distinct().ToListAsync(cancellationToken);
        var studies = await db.Studies.Where(s => studyIds.Contains(s.Id) && s.Status == StudyStatus.Receiving).ToListAsync(cancellationToken);
        foreach (var study in studies)
            study.MarkComplete(now);
        foreach (var scan in await db.QualificationScans.Where(q => q.UploadSessionId == session.Id && q.Status == QualificationScanStatus.Receiving).ToListAsync(cancellationToken))
            scan.MarkComplete(now);
        await db.SaveChangesAsync(cancellationToken);
        return studies;
    }
}

/// <summary>Checks for stable pushed studies every few seconds.</summary>
public sealed class StudyCompletionService(StudyCompletion completion, TimeProvider time, ILogger<StudyCompletionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var study in await completion.CompleteStableStudiesAsync(stoppingToken))
                    logger.LogInformation("Study {Study} is complete ({Instances} instances)", study.StudyInstanceUid, study.NumberOfInstances);
                foreach (var scan in await completion.CompleteStableQualificationScansAsync(stoppingToken))
                    logger.LogInformation("Qualification scan {Study} of {Scanner} is complete ({Images} images)", scan.StudyInstanceUid, scan.Scanner, scan.NumberOfImages);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Checking for stable studies failed; will retry");
            }
        }
    }
}
