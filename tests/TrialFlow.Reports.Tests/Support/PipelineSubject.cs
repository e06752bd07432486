using Microsoft.Extensions.Logging.Abstractions;
using TrialFlow.Qc.Domain;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;
using TrialFlow.Review.Domain;

namespace TrialFlow.Reports.Tests.Support;

/// <summary>
/// One subject with a full history, made once for the tests that only read it: a protocol-compliant baseline CT study
/// and a week-6 study with 7.5 mm slices (a protocol deviation) through intake and the qc-gate workflow (started on
/// completion; its RunQc step runs QC); then a new ruleset
/// version and a QC re-run of the baseline study, which gives it a second result.
/// </summary>
public sealed class PipelineSubject : IAsyncLifetime
{
    internal DossierHarness Harness { get; private set; } = null!;

    public Guid BaselineStudy { get; private set; }

    public Guid WeekSixStudy { get; private set; }

    /// <summary>The cut-off after everything above happened.</summary>
    public DateTime CutOff { get; private set; }

    public async Task InitializeAsync()
    {
        Harness = await DossierHarness.CreateAsync();
        BaselineStudy = await Harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.1001", StudyDate: "20260302"));
        Harness.Clock.Advance(TimeSpan.FromDays(1));
        WeekSixStudy = await Harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.1002", StudyDate: "20260416") { SliceThickness = 7.5 });
        await Harness.RunWorkflowsAsync(BaselineStudy, WeekSixStudy); // qc-gate's RunQc runs QC on both
        await Harness.RerunQcWithNewRulesetAsync(BaselineStudy, "ruleset v2 published; inspection asked for results under it");
        Query = await RaiseAndResolveQueryAsync();
        Adjudication = await ReadTwiceAndAdjudicateAsync();
        Harness.Clock.Advance(TimeSpan.FromMinutes(1));
        CutOff = Harness.Clock.GetUtcNow().UtcDateTime;
        Harness.Clock.Advance(TimeSpan.FromSeconds(1));
    }

    /// <summary>A QC query on the week-6 study: raised by the QC lead, answered by the site, resolved.</summary>
    public Query Query { get; private set; } = null!;

    /// <summary>The baseline study read by two radiologists who disagree; the adjudicator accepts radiologist 2's read.</summary>
    public Adjudication Adjudication { get; private set; } = null!;

    private async Task<Query> RaiseAndResolveQueryAsync()
    {
        var queries = new QueryService(Harness.Clock, [], NullLogger<QueryService>.Instance);
        Query query;
        await using (var db = Harness.Db(DossierHarness.QcLead))
            query = await queries.RaiseAsync(db, Harness.SiteId, new QueryDraft(QueryCategory.QcFailure, "Slice thickness 7.5 mm at week 6", "Please resend the venous series reconstructed at 1.25 mm.") { StudyId = WeekSixStudy, SubjectId = Harness.SubjectId });
        Harness.Clock.Advance(TimeSpan.FromHours(3));
        await using (var db = Harness.Db(new Actor("u-site", "Sigrid Site", "SiteUser", SiteScope.Of([Harness.TrialId], [Harness.SiteId]))))
            await queries.AnswerAsync(db, query.Id, "Thin reconstruction sent from the PACS.");
        Harness.Clock.Advance(TimeSpan.FromHours(1));
        await using (var db = Harness.Db(DossierHarness.QcLead))
            return await queries.ResolveAsync(db, query.Id, "Thin series received.");
    }

    private async Task<Adjudication> ReadTwiceAndAdjudicateAsync()
    {
        await using var db = Harness.Db();
        var now = Harness.Clock.GetUtcNow().UtcDateTime;
        var reads = new List<Read>();
        foreach (var (slot, reader, name, response, sum) in new[] { (1, "u-rad1", "Rita Radiologist", "PR", 41.5m), (2, "u-rad2", "Rolf Radiologist", "SD", 52.0m) })
        {
            var task = new ReadTask(Harness.TrialId, BaselineStudy, Harness.SubjectId, Harness.SiteId, "Baseline", new DateOnly(2026, 3, 2), slot, reader, now, now.AddDays(10));
            var read = new Read(task.Id, reader, "recist-1.1", 1, now);
            read.SaveDraft("{}", "{}", response, null, null, sum);
            var signature = new ElectronicSignature("Read", read.Id, reader, name, "I confirm this assessment", now.AddMinutes(slot), "ab" + new string('0', 62));
            read.Sign(signature);
            db.ElectronicSignatures.Add(signature);
            db.ReadTasks.Add(task);
            db.Reads.Add(read);
            reads.Add(read);
        }
        var adjudication = new Adjudication(Harness.TrialId, BaselineStudy, Harness.SubjectId, reads[0].Id, reads[1].Id, "OverallResponse: PR vs SD", "u-adj", now.AddMinutes(5), now.AddDays(10));
        var decision = new ElectronicSignature("Adjudication", adjudication.Id, "u-adj", "Ada Adjudicator", "I accept this assessment", now.AddMinutes(10), "cd" + new string('0', 62));
        adjudication.Decide(reads[1].Id, "Lesion T2 is a lymph node: short axis applies.", decision);
        db.ElectronicSignatures.Add(decision);
        reads[1].MarkAccepted(true);
        db.Adjudications.Add(adjudication);
        await db.SaveChangesAsync("dossier test: two reads and an adjudication");
        Harness.Clock.Advance(TimeSpan.FromMinutes(15));
        return adjudication;
    }

    internal async Task<(ImagingStudy Study, List<QcResult> Results)> LoadAsync(Guid studyId)
    {
        await using var db = Harness.Db();
        var study = await db.Studies.AsNoTracking().Include(s => s.Series).SingleAsync(s => s.Id == studyId);
        var results = await db.QcResults.AsNoTracking().Include(r => r.Findings).Where(r => r.StudyId == studyId).OrderBy(r => r.RanAt).ToListAsync();
        return (study, results);
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}
