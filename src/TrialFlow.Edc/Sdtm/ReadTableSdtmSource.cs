using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;

namespace TrialFlow.Edc.Sdtm;

/// <summary>
/// SDTM results from central review's read tables: subjects with read tasks in subject key order, one page of
/// <see cref="PageSize"/> subjects per round of queries (keyset on the subject key), so memory holds one page whatever
/// the trial's size. Only the current version of each read counts (signed, not superseded; drafts are not results).
/// Visits, subject keys and the baseline date come from the registry; subjects outside the caller's sites are not
/// seen (the context's site filter). Studies not matched to a registered visit are left out: the reconciliation report
/// lists them.
/// </summary>
public sealed class ReadTableSdtmSource(TrialFlowDbContext db) : ISdtmResultsSource
{
    /// <summary>Subjects per round of queries (100: a page's reads are a few hundred kilobytes of form JSON).</summary>
    internal int PageSize { get; init; } = 100;

    public async IAsyncEnumerable<SdtmSubjectResults> SubjectsAsync(Guid trialId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            // Both the order and the keyset comparison run in SQL, so they agree under the database's collation.
            var page = await db.Subjects.AsNoTracking()
                .Where(s => s.TrialId == trialId && (after == null || string.Compare(s.SubjectKey, after) > 0) && db.Set<ReadTask>().Any(t => t.SubjectId == s.Id))
                .OrderBy(s => s.SubjectKey).Take(PageSize)
                .Select(s => new { s.Id, s.SubjectKey }).ToListAsync(cancellationToken);
            if (page.Count == 0)
                yield break;
            var timepoints = await TimepointsAsync(page.Select(s => s.Id).ToList(), cancellationToken);
            foreach (var subject in page)
                yield return SdtmSubjectAssembler.Assemble(subject.SubjectKey, timepoints[subject.Id]);
            if (page.Count < PageSize)
                yield break;
            after = page[^1].SubjectKey;
        }
    }

    private async Task<ILookup<Guid, ReviewedTimepoint>> TimepointsAsync(List<Guid> subjectIds, CancellationToken cancellationToken)
    {
        var tasks = await db.ReadTasks.AsNoTracking().Where(t => subjectIds.Contains(t.SubjectId))
            .Select(t => new { t.Id, t.StudyId, t.Slot }).ToListAsync(cancellationToken);
        var taskIds = tasks.Select(t => t.Id).ToList();
        var taskById = tasks.ToDictionary(t => t.Id);
        var reads = (await db.Reads.AsNoTracking().Where(r => taskIds.Contains(r.ReadTaskId) && r.Status == ReadStatus.Signed)
                .Select(r => new { r.ReadTaskId, Read = new ReviewedRead(r.Id, 0, r.Content, r.Computed, r.OverallResponse, r.BestOverallResponse, r.SumOfDiametersMm, r.IsAccepted) })
                .ToListAsync(cancellationToken))
            .Select(r => (taskById[r.ReadTaskId].StudyId, Read: r.Read with { Slot = taskById[r.ReadTaskId].Slot }))
            .ToLookup(r => r.StudyId, r => r.Read);
        // A decided adjudication counts while the read it accepted is current; a later correction reopens the question.
        var adjudicated = (await db.Adjudications.AsNoTracking().Where(a => subjectIds.Contains(a.SubjectId) && a.Status == AdjudicationStatus.Decided)
                .Select(a => new { a.StudyId, a.AcceptedReadId, a.DecidedAt }).ToListAsync(cancellationToken))
            .GroupBy(a => a.StudyId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.DecidedAt)!.AcceptedReadId);

        var studyIds = tasks.Select(t => t.StudyId).Distinct().ToList();
        var studies = await db.Studies.AsNoTracking().Where(s => studyIds.Contains(s.Id) && s.VisitId != null)
            .Select(s => new { s.Id, s.SubjectId, VisitId = s.VisitId!.Value, s.StudyDay, s.Modalities }).ToListAsync(cancellationToken);
        var visits = await db.Visits.AsNoTracking().Where(v => subjectIds.Contains(v.SubjectId))
            .Select(v => new { v.Id, v.SubjectId, v.VisitDate, v.Definition!.VisitKey, v.Definition.Name, v.Definition.Order, v.Definition.NominalDay })
            .ToListAsync(cancellationToken);
        var visitById = visits.ToDictionary(v => v.Id);
        // The baseline as intake reckons study days: the first scheduled visit on day 0.
        var baselineDate = visits.Where(v => v.NominalDay == 0).GroupBy(v => v.SubjectId)
            .ToDictionary(g => g.Key, g => g.MinBy(v => v.Order)!.VisitDate);

        return studies.Select(s =>
        {
            var visit = visitById[s.VisitId];
            // Archived study dates are shifted per subject; the study day was taken at intake from the true dates, so
            // the EDC's baseline date plus the study day is the scan date in the EDC's calendar.
            var scanDate = baselineDate.GetValueOrDefault(s.SubjectId) is { } day0 && s.StudyDay is { } day ? day0.AddDays(day) : (DateOnly?)null;
            return (s.SubjectId, Timepoint: new ReviewedTimepoint(visit.VisitKey, visit.Name, visit.Order, scanDate, RecistTerms.Method(s.Modalities),
                reads[s.Id].ToList(), adjudicated.GetValueOrDefault(s.Id)));
        }).ToLookup(t => t.SubjectId, t => t.Timepoint);
    }
}
