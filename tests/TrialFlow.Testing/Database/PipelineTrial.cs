using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;

namespace TrialFlow.Testing;

/// <summary>
/// The trial the pipeline harnesses (intake, QC, workflows, dossier) run against: the demo visit schedule (BASELINE
/// day 0 −28/+0, WK06 day 42 ±7, WK12 day 84 ±7), site 101 Nordstadt in Europe/Berlin, and subject 101-001 enrolled
/// with its baseline on 2026-03-02. Each harness adds what only it needs through the optional arguments.
/// </summary>
public sealed record PipelineTrial(Guid TrialId, Guid SiteId, Guid SubjectId)
{
    public const string ProtocolId = "TF-ONC-301";

    /// <param name="db">A context on a migrated database.</param>
    /// <param name="title">The trial's title, naming the harness (it shows in dossiers and exports).</param>
    /// <param name="protocolId">The trial's protocol id; QC protocols and rulesets are bound to it.</param>
    /// <param name="aeTitle">The AE title site 101 pushes from.</param>
    /// <param name="configureSite">More of site 101 (further AE titles with sender networks…).</param>
    /// <param name="moreSubjects">Further enrolled subjects of site 101, without visits.</param>
    public static async Task<PipelineTrial> SeedAsync(TrialFlowDbContext db, string title, string protocolId = ProtocolId, string aeTitle = "SITE101_CT",
        Action<Site>? configureSite = null, IReadOnlyList<string>? moreSubjects = null)
    {
        var trial = new Trial(protocolId, "Aurora Oncology AG", title);
        var baseline = trial.AddVisit("BASELINE", "Baseline", 0, 28, 0);
        trial.AddVisit("WK06", "Week 6", 42, 7, 7);
        trial.AddVisit("WK12", "Week 12", 84, 7, 7);
        var site = trial.AddSite("101", "Nordstadt", "DE", "Europe/Berlin").Active();
        site.AllowAeTitle(aeTitle);
        configureSite?.Invoke(site);
        var subject = new Subject(trial.Id, site.Id, "101-001", SubjectStatus.Enrolled);
        subject.AddVisit(baseline, new DateOnly(2026, 3, 2));
        db.Trials.Add(trial);
        db.Subjects.Add(subject);
        foreach (var key in moreSubjects ?? [])
            db.Subjects.Add(new Subject(trial.Id, site.Id, key, SubjectStatus.Enrolled));
        await db.SaveChangesAsync();
        return new PipelineTrial(trial.Id, site.Id, subject.Id);
    }
}
