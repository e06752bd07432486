using TrialFlow.Workflows.Activities.Builtin;
using TrialFlow.Qc.Domain;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;

namespace TrialFlow.Workflows.Tests.EndToEnd;

/// <summary>The query branch of the shipped bicr-2-readers-adjudication.json, over the real intake and QC.</summary>
public sealed class QueryLoopTests
{
    private static readonly Actor QcLead = new("u-qc", "Quinn QC-Lead", TrialFlowRoles.QcLead, SiteScope.Unrestricted);

    [Trait("Category", "Slow")]
    [Fact]
    public async Task A_QC_failure_raises_a_query_the_site_answers_with_the_missing_series_and_QC_runs_again_once_before_the_workflow_continues()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await harness.PublishAsync(WorkflowJson.Load(Repository.Path("workflows", "bicr-2-readers-adjudication.json")));
        // Only the localizer arrived: the protocol's portal venous series is missing.
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.70") { VenousImages = 0 });
        await harness.StartEngineAsync();
        Assert.Equal(1, await harness.Starter.StartPendingAsync(CancellationToken.None));

        var waiting = await harness.WaitForInstanceAsync(study, v => v.CurrentActivities.SequenceEqual(["wait-query"]) && v.Journal.Any(j => j.ActivityId == "wait-query"), "the instance waits for the query");
        var queries = harness.Services.GetRequiredService<QueryService>();
        Query raised;
        await using (var db = harness.Db())
            raised = await db.Queries.Include(q => q.Findings).Include(q => q.Messages).SingleAsync();
        Assert.Equal((QueryCategory.QcFailure, QueryStatus.Open, waiting.Id, study), (raised.Category, raised.Status, raised.WorkflowInstanceId, raised.StudyId));
        Assert.Contains(raised.Findings, f => f.RuleId == "QC-REQUIRED-SERIES");
        Assert.Contains("QC-REQUIRED-SERIES", raised.Messages.Single().Text);
        Assert.StartsWith("QC failed:", raised.Title);

        // The site sends the full study again (the localizer is a duplicate, the venous series is new) and answers.
        await harness.PushAsync(new CtStudy("1.2.826.0.1.3680043.2.70"));
        harness.Clock.Advance(TimeSpan.FromHours(2));
        await using (var site = DatabaseFor(harness, new Actor("u-site", "Sigrid Site", TrialFlowRoles.SiteUser, SiteScope.Of([harness.TrialId], [harness.SiteId]))))
            await queries.AnswerAsync(site, raised.Id, "Venous series sent to the same study.", studyId: study);
        await using (var lead = DatabaseFor(harness, QcLead))
            await queries.ResolveAsync(lead, raised.Id, "Venous series received.");
        await harness.DispatchEventsAsync();

        // After QC passes the study goes on to the review branch (no reader pool here: it stops at the assignment).
        var done = await harness.WaitForInstanceAsync(study, v => v.Journal.Any(j => j.ActivityId == "mark-in-review" && j.Kind == JournalEntryKind.Completed), "the instance continues after QC passes");
        var completed = done.Journal.Where(j => j.Kind == JournalEntryKind.Completed).ToList();
        Assert.Equal(["completed", "qc", "raise-query", "wait-query", "qc", "mark-in-review"], completed.Select(j => j.ActivityId).Take(6));
        Assert.Equal(["failed", "passed"], completed.Where(j => j.ActivityId == "qc").Select(j => j.Outcome));
        Assert.Equal("resolved", completed.Single(j => j.ActivityId == "wait-query").Outcome);
        Assert.Equal(StudyStatus.InReview, await harness.StatusOfAsync(study));

        // The query's end arriving again (the outbox republishing, a second node) changes nothing.
        await harness.Workflows.PublishEventAsync(WaitForQueryResolution.EventName, WaitForQueryResolution.KeyOf(raised.Id), "Resolved");
        await harness.PollsPassAsync();
        var after = (await harness.Workflows.ForStudyAsync(study)).Single();
        Assert.Equal((2, 1), (after.Journal.Count(j => j.ActivityId == "qc" && j.Kind == JournalEntryKind.Completed), after.Journal.Count(j => j.ActivityId == "wait-query" && j.Kind == JournalEntryKind.Completed)));
        await using var check = harness.Db();
        Assert.Equal(2, await check.QcResults.CountAsync(r => r.StudyId == study));
        Assert.Equal(1, await check.Queries.CountAsync());
    }

    [Fact]
    public async Task A_cancelled_query_ends_the_wait_by_cancelled_and_the_study_stays_QC_failed()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await harness.PublishAsync(WorkflowJson.Load(Repository.Path("workflows", "bicr-2-readers-adjudication.json")));
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.71") { SliceThickness = 7.5 });
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);
        await harness.WaitForInstanceAsync(study, v => v.CurrentActivities.SequenceEqual(["wait-query"]) && v.Journal.Any(j => j.ActivityId == "wait-query"), "the instance waits for the query");

        Guid queryId;
        await using (var db = harness.Db())
            queryId = await db.Queries.Select(q => q.Id).SingleAsync();
        await using (var lead = DatabaseFor(harness, QcLead))
            await harness.Services.GetRequiredService<QueryService>().CancelAsync(lead, queryId, "Thick slices accepted as a protocol deviation.");
        await harness.DispatchEventsAsync();

        var done = await harness.WaitForInstanceAsync(study, v => v.Status == "Complete", "the instance ends");
        Assert.Equal("cancelled", done.Journal.Single(j => j.ActivityId == "wait-query" && j.Kind == JournalEntryKind.Completed).Outcome);
        Assert.Equal("notify-cancelled", done.Journal[^1].ActivityId);
        Assert.Equal(StudyStatus.QcFailed, await harness.StatusOfAsync(study));
    }

    private static Core.Persistence.TrialFlowDbContext DatabaseFor(WorkflowHarness harness, Actor actor) =>
        Core.Persistence.DatabaseServiceCollectionExtensions.CreateContext(harness.Database, actor, harness.Clock);
}
