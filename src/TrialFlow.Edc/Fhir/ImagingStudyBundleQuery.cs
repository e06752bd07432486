using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Edc.Fhir;

/// <summary>Loads one subject's archived studies (within the caller's sites) and builds their FHIR bundle.</summary>
public sealed class ImagingStudyBundleQuery(TrialFlowDbContext db)
{
    /// <returns>Null when the subject does not exist or is outside the caller's sites.</returns>
    public async Task<Bundle?> ForSubjectAsync(Guid subjectId, Uri wadoRsBase, CancellationToken cancellationToken)
    {
        var subject = await db.Subjects.AsNoTracking().SingleOrDefaultAsync(s => s.Id == subjectId, cancellationToken);
        if (subject is null)
            return null;
        var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == subject.TrialId, cancellationToken);
        var studies = await db.Studies.AsNoTracking().Include(s => s.Series).ThenInclude(s => s.Instances)
            .Where(s => s.SubjectId == subjectId).OrderBy(s => s.ReceivedAt).AsSplitQuery().ToListAsync(cancellationToken);
        return ImagingStudyBundle.Build(new FhirImagingInput(trial.ProtocolId, trial.Title, subject.SubjectKey, wadoRsBase, studies));
    }
}
