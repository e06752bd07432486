using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;
using TrialFlow.Edc.Sdtm;

namespace TrialFlow.Edc;

/// <summary>
/// Read and adjudication progress per study from central review's tables. Read: every task has a signed current read
/// (Read), some work was started or signed (InProgress), or nothing yet (NotRead). Adjudication: Done when decided,
/// Pending while open, NotRequired once the compared reads agreed (one is accepted without an adjudication), and not
/// known before. The overall response is the accepted read's, in CDISC terms.
/// </summary>
public sealed class ReadTableReviewProgress : IReviewProgressSource
{
    public async Task<IReadOnlyDictionary<Guid, ReviewProgress>?> ForStudiesAsync(TrialFlowDbContext db, IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken)
    {
        var ids = studyIds.ToList();
        var tasks = await db.ReadTasks.AsNoTracking().Where(t => ids.Contains(t.StudyId))
            .Select(t => new { t.Id, t.StudyId, t.Status }).ToListAsync(cancellationToken);
        var taskIds = tasks.Select(t => t.Id).ToList();
        var reads = await db.Reads.AsNoTracking().Where(r => taskIds.Contains(r.ReadTaskId) && r.Status != ReadStatus.Superseded)
            .Select(r => new { r.ReadTaskId, r.Status, r.IsAccepted, r.OverallResponse }).ToListAsync(cancellationToken);
        var adjudications = (await db.Adjudications.AsNoTracking().Where(a => ids.Contains(a.StudyId))
                .Select(a => new { a.StudyId, a.Status, a.OpenedAt }).ToListAsync(cancellationToken))
            .GroupBy(a => a.StudyId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.OpenedAt)!.Status);
        var readsByTask = reads.ToLookup(r => r.ReadTaskId);

        var progress = new Dictionary<Guid, ReviewProgress>();
        foreach (var study in tasks.GroupBy(t => t.StudyId))
        {
            var studyReads = study.SelectMany(t => readsByTask[t.Id]).ToList();
            var signed = study.Count(t => readsByTask[t.Id].Any(r => r.Status == ReadStatus.Signed));
            var read = signed == study.Count() ? ReadState.Read
                : signed > 0 || studyReads.Count > 0 || study.Any(t => t.Status != ReadTaskStatus.Assigned) ? ReadState.InProgress
                : ReadState.NotRead;
            var accepted = studyReads.FirstOrDefault(r => r.Status == ReadStatus.Signed && r.IsAccepted);
            AdjudicationState? adjudication = adjudications.TryGetValue(study.Key, out var status)
                ? status == AdjudicationStatus.Decided ? AdjudicationState.Done : AdjudicationState.Pending
                : accepted is not null ? AdjudicationState.NotRequired
                : null;
            progress[study.Key] = new ReviewProgress(read, adjudication, RecistTerms.Response(accepted?.OverallResponse));
        }
        return progress;
    }
}
