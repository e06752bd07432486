using TrialFlow.Review.Domain;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;

namespace TrialFlow.Review.Service;

/// <summary>
/// Gives a fresh demo install something to read: one indexed CT study per occurred visit of the first enrolled subjects,
/// in review, with readers assigned by the real rules. The studies are index rows (a scout and a venous series); the
/// host archives phantom images into them (central review knows no archive). Runs once, right after the demo trial is
/// seeded, and returns the studies it made.
/// </summary>
public sealed class ReviewDemoSeeder(ReviewCoordinator coordinator, TimeProvider time)
{
    public async Task<IReadOnlyList<Guid>> SeedAsync(TrialFlowDbContext db, string protocolId, int subjects = 3, CancellationToken cancellationToken = default)
    {
        var trial = await db.Trials.SingleAsync(t => t.ProtocolId == protocolId, cancellationToken);
        if (await db.ReadTasks.AnyAsync(t => t.TrialId == trial.Id, cancellationToken))
            return [];
        var enrolled = await db.Subjects.IgnoreQueryFilters().Include(s => s.Visits).ThenInclude(v => v.Definition)
            .Where(s => s.TrialId == trial.Id && s.Status == SubjectStatus.Enrolled).OrderBy(s => s.SubjectKey).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var studies = new List<ImagingStudy>();
        var n = 0;
        foreach (var subject in enrolled.Where(s => s.Visits.Any(v => v.VisitDate is not null)).Take(subjects))
        {
            var baseline = subject.Visits.Where(v => v.VisitDate is not null).Min(v => v.VisitDate!.Value);
            foreach (var visit in subject.Visits.Where(v => v.VisitDate is not null).OrderBy(v => v.VisitDate))
            {
                n++;
                var study = new ImagingStudy(trial.Id, subject.SiteId, subject.Id, visit.Id, $"2.25.{900000000 + n}", now);
                study.Describe(visit.VisitDate, $"Demo CT chest/abdomen/pelvis ({visit.Definition?.Name})", visit.VisitDate!.Value.DayNumber - baseline.DayNumber);
                foreach (var (number, description) in new[] { (1, "Scout"), (2, "Venous phase 5 mm") })
                    study.AddSeries($"2.25.{900000000 + n}.{number}", "CT", number, description);
                study.Recount();
                study.MarkComplete(now);
                study.StartReview();
                db.Studies.Add(study);
                studies.Add(study);
            }
        }
        await db.SaveChangesAsync("demo studies for the central review", cancellationToken);
        // Baselines first, then follow-ups, so each subject keeps its readers across timepoints.
        foreach (var study in studies.OrderBy(s => s.StudyDay))
        {
            await coordinator.AssignReadersAsync(db, study.Id, cancellationToken);
            await db.SaveChangesAsync("demo read tasks", cancellationToken);
        }
        return studies.Select(s => s.Id).ToList();
    }
}
