using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;

namespace TrialFlow.Edc;

/// <summary>Loads the registry and the archive of one trial (within the caller's sites) and reconciles them.</summary>
public sealed class ReconciliationQuery(TrialFlowDbContext db)
{
    public async Task<IReadOnlyList<ReconciliationItem>> RunAsync(Guid trialId, CancellationToken cancellationToken)
    {
        var schedule = await db.VisitDefinitions.AsNoTracking().Where(v => v.TrialId == trialId)
            .Select(v => new ReconciliationInput.ScheduledVisit(v.Id, v.VisitKey, v.Order, v.NominalDay, v.WindowBeforeDays, v.WindowAfterDays))
            .ToListAsync(cancellationToken);
        var sites = await db.Sites.AsNoTracking().Where(s => s.TrialId == trialId).ToDictionaryAsync(s => s.Id, s => s.SiteNumber, cancellationToken);
        var subjects = await db.Subjects.AsNoTracking().Include(s => s.Visits).Where(s => s.TrialId == trialId).ToListAsync(cancellationToken);
        var studies = await db.Studies.AsNoTracking().Where(s => s.TrialId == trialId)
            .Select(s => new ReconciliationInput.ArchivedStudy(s.SubjectId, s.VisitId, s.StudyInstanceUid, s.StudyDay))
            .ToListAsync(cancellationToken);
        var input = new ReconciliationInput(schedule,
            subjects.Select(s => new ReconciliationInput.RegisteredSubject(s.Id, s.SubjectKey, sites.GetValueOrDefault(s.SiteId, "?"),
                s.Status is SubjectStatus.Enrolled or SubjectStatus.Completed,
                s.Visits.Select(v => new ReconciliationInput.RegisteredVisit(v.Id, v.VisitDefinitionId, v.Status == VisitStatus.Missed ? null : v.VisitDate)).ToList())).ToList(),
            studies);
        return Reconciliation.Compute(input);
    }
}
