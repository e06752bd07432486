using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Qc.Domain;

namespace TrialFlow.Edc;

/// <summary>
/// The imaging status of each registered visit of a trial (or of one visit): the latest study matched to it, its latest
/// QC result, and what the query and review modules report through their ports.
/// </summary>
public sealed class ImagingVisitStatusQuery(TrialFlowDbContext db, IOpenQueryCounts queries, IReviewProgressSource reviews)
{
    public async Task<IReadOnlyList<ImagingVisitStatus>> ForTrialAsync(Guid trialId, Guid? visitId, CancellationToken cancellationToken)
    {
        var visits = await (from visit in db.Visits.AsNoTracking()
                            join subject in db.Subjects.AsNoTracking() on visit.SubjectId equals subject.Id
                            join site in db.Sites.AsNoTracking() on subject.SiteId equals site.Id
                            join definition in db.VisitDefinitions.AsNoTracking() on visit.VisitDefinitionId equals definition.Id
                            where subject.TrialId == trialId && (visitId == null || visit.Id == visitId)
                            orderby site.SiteNumber, subject.SubjectKey, definition.Order
                            select new { visit.Id, subject.SubjectKey, site.SiteNumber, definition.VisitKey }).ToListAsync(cancellationToken);
        var visitIds = visits.Select(v => v.Id).ToList();
        var studies = (await db.Studies.AsNoTracking().Where(s => s.VisitId != null && visitIds.Contains(s.VisitId.Value))
                .Select(s => new { s.Id, VisitId = s.VisitId!.Value, s.StudyInstanceUid, s.ReceivedAt, s.Status }).ToListAsync(cancellationToken))
            .GroupBy(s => s.VisitId).ToDictionary(g => g.Key, g => g.MaxBy(s => s.ReceivedAt)!);
        var studyIds = studies.Values.Select(s => s.Id).ToList();
        var qc = (await db.QcResults.AsNoTracking().Where(r => studyIds.Contains(r.StudyId)).Select(r => new { r.StudyId, r.RanAt, r.Outcome }).ToListAsync(cancellationToken))
            .GroupBy(r => r.StudyId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.RanAt)!.Outcome);
        var openQueries = await queries.ForStudiesAsync(db, studyIds, cancellationToken);
        var progress = await reviews.ForStudiesAsync(db, studyIds, cancellationToken);

        return visits.Select(v =>
        {
            if (!studies.TryGetValue(v.Id, out var study))
                return new ImagingVisitStatus(v.SubjectKey, v.SiteNumber, v.VisitKey, null, null, QcState.NotDone, null, null, null, null);
            var review = progress?.GetValueOrDefault(study.Id);
            return new ImagingVisitStatus(v.SubjectKey, v.SiteNumber, v.VisitKey, study.StudyInstanceUid, DateOnly.FromDateTime(study.ReceivedAt),
                qc.TryGetValue(study.Id, out var outcome) ? QcStateOf(outcome) : QcState.NotDone,
                openQueries is null ? null : openQueries.GetValueOrDefault(study.Id),
                review?.Read ?? ReadStateOf(study.Status), review?.Adjudication, review?.OverallResponse);
        }).ToList();
    }

    private static QcState QcStateOf(QcOutcome outcome) => outcome switch
    {
        QcOutcome.Passed => QcState.Passed,
        QcOutcome.PassedWithFindings => QcState.PassedWithFindings,
        _ => QcState.Failed,
    };

    // Without review records the study's status is the best evidence of reading there is.
    private static ReadState ReadStateOf(StudyStatus status) => status switch
    {
        StudyStatus.InReview => ReadState.InProgress,
        StudyStatus.Reviewed => ReadState.Read,
        _ => ReadState.NotRead,
    };
}
