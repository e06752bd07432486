using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;

namespace TrialFlow.Testing;

/// <summary>A small trial with two sites (Berlin and Paris), a schedule and one subject per site.</summary>
public sealed record SmallTrial(Trial Trial, Site Berlin, Site Paris, Subject BerlinSubject, Subject ParisSubject, VisitDefinition Baseline)
{
    /// <param name="protocolId">Another protocol id gives a second trial beside the first (its Berlin site sends from no AE title).</param>
    public static async Task<SmallTrial> SaveAsync(TrialFlowDbContext db, string protocolId = "TF-TEST-1")
    {
        var trial = new Trial(protocolId, "Test Sponsor", "A test trial");
        var baseline = trial.AddVisit("BASELINE", "Baseline", 0, 28, 0);
        trial.AddVisit("WK06", "Week 6", 42, 7, 7);
        var berlin = trial.AddSite("101", "Berlin Test Hospital", "DE", "Europe/Berlin").Active();
        if (protocolId == "TF-TEST-1")
            berlin.AllowAeTitle("BERLIN_CT");
        var paris = trial.AddSite("201", "Paris Test Hospital", "FR", "Europe/Paris").Active();
        var berlinSubject = new Subject(trial.Id, berlin.Id, "101-001", SubjectStatus.Enrolled);
        berlinSubject.AddVisit(baseline, new DateOnly(2026, 3, 2));
        var parisSubject = new Subject(trial.Id, paris.Id, "201-001");
        db.Trials.Add(trial);
        db.Subjects.AddRange(berlinSubject, parisSubject);
        await db.SaveChangesAsync();
        return new SmallTrial(trial, berlin, paris, berlinSubject, parisSubject, baseline);
    }
}
