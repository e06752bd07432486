using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Forms;
using TrialFlow.Review.Service;

namespace TrialFlow.Workflows.Tests.Review;

/// <summary>
/// The shipped bicr-2-readers-adjudication.json on WorkflowCore over generated CT studies: QC, two blinded readers,
/// comparison, adjudication. Reads are signed here through the domain (the password check is the web tests' job)
/// and released through the same review events the reading service raises.
/// </summary>
public sealed class BicrWorkflowTests
{
    private static readonly FormTemplate Recist = FormTemplate.Load(Repository.Path("templates", "forms", "recist-1.1.json"));

    private static WorkflowDocument Shipped() => WorkflowJson.Load(Repository.Path("workflows", "bicr-2-readers-adjudication.json"));

    [Fact]
    public async Task Two_readers_read_each_timepoint_agreement_ends_the_review_and_a_disagreement_goes_to_the_adjudicator()
    {
        var edc = new RecordingExporter(failures: 0);
        await using var harness = await WorkflowHarness.CreateAsync(configure: s => s.Replace(ServiceDescriptor.Singleton<IVisitResultsExporter>(edc)));
        await harness.PublishAsync(Shipped());
        await SeedPoolAsync(harness);
        var baseline = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.30", StudyDate: "20260302"));
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);

        await harness.WaitForInstanceAsync(baseline, v => v.CurrentActivities.SequenceEqual(["wait-for-reads"]), "the baseline waits for its reads");
        var baselineTasks = await TasksAsync(harness, baseline);
        Assert.Equal([(1, "reader-a"), (2, "reader-b")], baselineTasks.Select(t => (t.Slot, t.ReaderUserId)));
        Assert.Equal(StudyStatus.InReview, await harness.StatusOfAsync(baseline));

        await SignAsync(harness, baselineTasks[0], Lesions(("T1", "Liver", "40"), ("T2", "Lung", "20")));
        var halfway = await harness.WaitForInstanceAsync(baseline, v => v.Journal.Count(j => j.ActivityId == "wait-for-reads") >= 2, "the first signature wakes the wait");
        Assert.Equal(["wait-for-reads"], halfway.CurrentActivities);
        await SignAsync(harness, baselineTasks[1], Lesions(("T1", "Liver", "42"), ("T2", "Lung", "19")));
        var reviewed = await harness.WaitForInstanceAsync(baseline, v => v.Status == "Complete", "the baseline review completes");
        Assert.Equal("agree", reviewed.Journal.Single(j => j.ActivityId == "compare-reads").Outcome);
        Assert.DoesNotContain(reviewed.Journal, j => j.ActivityId == "adjudicate");
        Assert.Equal(StudyStatus.Reviewed, await harness.StatusOfAsync(baseline));
        // Once reviewed, the visit's results go to the EDC.
        Assert.Equal(["mark-reviewed", "export-to-edc"], reviewed.Journal.Where(j => j.Kind == JournalEntryKind.Completed).Select(j => j.ActivityId).TakeLast(2));
        Assert.Equal([baseline], edc.Requests.Select(r => r.StudyId));

        // Week 6: the same readers keep the subject in their slots; they disagree on the overall response (PR vs SD).
        var week6 = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.31", StudyDate: "20260413"));
        await harness.Starter.StartPendingAsync(CancellationToken.None);
        await harness.WaitForInstanceAsync(week6, v => v.CurrentActivities.SequenceEqual(["wait-for-reads"]), "week 6 waits for its reads");
        var week6Tasks = await TasksAsync(harness, week6);
        Assert.Equal([(1, "reader-a"), (2, "reader-b")], week6Tasks.Select(t => (t.Slot, t.ReaderUserId)));
        await SignAsync(harness, week6Tasks[0], Lesions(("T1", "Liver", "28"), ("T2", "Lung", "12")));
        await SignAsync(harness, week6Tasks[1], Lesions(("T1", "Liver", "36"), ("T2", "Lung", "17")));
        await harness.WaitForInstanceAsync(week6, v => v.CurrentActivities.SequenceEqual(["adjudicate"]), "week 6 waits for the adjudicator");

        TrialFlow.Review.Domain.Adjudication adjudication;
        await using (var db = harness.Db())
            adjudication = await db.Adjudications.SingleAsync(a => a.StudyId == week6);
        Assert.Equal(("adjudicator-1", "OverallResponse: PR vs SD"), (adjudication.AdjudicatorUserId, adjudication.Differences));
        await DecideAsync(harness, adjudication.Id, accept: adjudication.ReadAId);

        await harness.WaitForInstanceAsync(week6, v => v.Status == "Complete", "week 6 completes after the decision");
        Assert.Equal(StudyStatus.Reviewed, await harness.StatusOfAsync(week6));
        Assert.Equal([baseline, week6], edc.Requests.Select(r => r.StudyId));
        await using var check = harness.Db();
        var accepted = await check.Reads.Where(r => r.IsAccepted).Select(r => r.Id).ToListAsync();
        Assert.Contains(adjudication.ReadAId, accepted);
        Assert.DoesNotContain(adjudication.ReadBId, accepted);
    }

    [Fact]
    public async Task A_study_failing_QC_gets_a_query_to_its_site_and_no_read_task()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await harness.PublishAsync(Shipped());
        await SeedPoolAsync(harness);
        var deviating = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.32") { SliceThickness = 7.5 });
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);

        var waiting = await harness.WaitForInstanceAsync(deviating, v => v.CurrentActivities.SequenceEqual(["wait-query"]) && v.Journal.Any(j => j.ActivityId == "wait-query"), "the failed branch waits for the query");
        Assert.Equal(["completed", "qc", "raise-query", "wait-query"], waiting.Journal.Select(j => j.ActivityId));
        Assert.Equal(StudyStatus.QcFailed, await harness.StatusOfAsync(deviating));
        Assert.Empty(await TasksAsync(harness, deviating));
    }

    private static async Task SeedPoolAsync(WorkflowHarness harness)
    {
        await using var db = harness.Db();
        var qualified = new DateOnly(2026, 1, 15);
        db.ReaderQualifications.AddRange(
            new ReaderQualification(harness.TrialId, "reader-a", ReviewerRole.Reader, "RECIST 1.1 charter v2 training", qualified),
            new ReaderQualification(harness.TrialId, "reader-b", ReviewerRole.Reader, "RECIST 1.1 charter v2 training", qualified),
            // A radiologist of site 101 is in the pool: never assigned to this site's subjects.
            new ReaderQualification(harness.TrialId, "reader-site101", ReviewerRole.Reader, "RECIST 1.1 charter v2 training", qualified, harness.SiteId),
            new ReaderQualification(harness.TrialId, "adjudicator-1", ReviewerRole.Adjudicator, "RECIST 1.1 adjudicator training", qualified));
        await db.SaveChangesAsync();
    }

    private static async Task<List<ReadTask>> TasksAsync(WorkflowHarness harness, Guid studyId)
    {
        await using var db = harness.Db();
        return await db.ReadTasks.Where(t => t.StudyId == studyId).OrderBy(t => t.Slot).ToListAsync();
    }

    private static FormData Lesions(params (string Id, string Organ, string Mm)[] targets) => new(
        new Dictionary<string, string?> { ["imageQuality"] = "Adequate" },
        new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>>
        {
            ["targetLesions"] = targets.Select(t => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>
            {
                ["lesionId"] = t.Id, ["organ"] = t.Organ, ["status"] = "Measured", ["diameterMm"] = t.Mm,
            }).ToList(),
        });

    /// <summary>Signs a read as the reading service does: computed over the reader's own earlier reads, hashed, locked, event raised.</summary>
    private static async Task SignAsync(WorkflowHarness harness, ReadTask task, FormData data)
    {
        await using (var db = harness.Db())
        {
            var prior = await db.ReadTasks.Where(t => t.SubjectId == task.SubjectId && t.ReaderUserId == task.ReaderUserId && t.ScanDate < task.ScanDate)
                .Join(db.Reads, t => t.Id, r => r.ReadTaskId, (t, r) => new { t.ScanDate, r.Content }).ToListAsync();
            var series = prior.OrderBy(p => p.ScanDate).Select(p => new FormTimepoint(p.ScanDate!.Value, FormData.FromJson(p.Content)))
                .Append(new FormTimepoint(task.ScanDate!.Value, data)).ToList();
            var computed = FormCalculators.Evaluate(Recist, series);
            Assert.Empty(computed.Errors);
            var read = new Read(task.Id, task.ReaderUserId, Recist.TemplateId, Recist.Version, harness.Clock.GetUtcNow().UtcDateTime);
            read.SaveDraft(data.ToCanonicalJson(), JsonSerializer.Serialize(computed.Values), computed["overallResponse"], computed["bestOverallResponse"], computed["dateOfProgression"],
                decimal.Parse(computed["sumOfDiametersMm"]!, System.Globalization.CultureInfo.InvariantCulture));
            var signature = new ElectronicSignature(nameof(Read), read.Id, task.ReaderUserId, task.ReaderUserId, ElectronicSignature.ReadMeaning, harness.Clock.GetUtcNow().UtcDateTime, FormData.Sha256Of(read.Content));
            read.Sign(signature);
            db.Reads.Add(read);
            db.ElectronicSignatures.Add(signature);
            (await db.ReadTasks.SingleAsync(t => t.Id == task.Id)).Complete(harness.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }
        await harness.DispatchEventsAsync();
    }

    private static async Task DecideAsync(WorkflowHarness harness, Guid adjudicationId, Guid accept)
    {
        await using (var db = harness.Db())
        {
            var adjudication = await db.Adjudications.SingleAsync(a => a.Id == adjudicationId);
            var signature = new ElectronicSignature(nameof(TrialFlow.Review.Domain.Adjudication), adjudicationId, "adjudicator-1", "adjudicator-1", ElectronicSignature.AdjudicationMeaning, harness.Clock.GetUtcNow().UtcDateTime, new string('0', 64));
            db.ElectronicSignatures.Add(signature);
            adjudication.Decide(accept, "Reader A measured the lung lesion on the thinner reconstruction.", signature);
            foreach (var read in await db.Reads.Where(r => r.Id == adjudication.ReadAId || r.Id == adjudication.ReadBId).ToListAsync())
                read.MarkAccepted(read.Id == accept);
            await db.SaveChangesAsync();
        }
        await harness.DispatchEventsAsync();
    }
}
