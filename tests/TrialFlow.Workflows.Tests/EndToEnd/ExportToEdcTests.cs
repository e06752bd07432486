using Microsoft.Extensions.DependencyInjection.Extensions;
using static TrialFlow.Workflows.Tests.Support.Flowcharts;

namespace TrialFlow.Workflows.Tests.EndToEnd;

public sealed class ExportToEdcTests
{
    // The step after the export proves the instance went on; the study's lifecycle lets a completed study go to review.
    private static WorkflowDocument ExportThenMarkReviewed() => Document("edc-export",
        [Node("completed", "StudyCompleted"), Node("export", "ExportToEdc"), Node("reviewed", "SetStudyStatus", ("status", InputExpression.Literal("InReview"))),
         Node("tell", "Notify", ("title", InputExpression.Literal("EDC export failed")))],
        [Edge("completed", "done", "export"), Edge("export", "done", "reviewed"), Edge("export", "error", "tell")]);

    [Fact]
    public async Task ExportToEdc_hands_the_study_to_the_exporter_with_the_steps_idempotency_key()
    {
        var exporter = new RecordingExporter(failures: 0);
        await using var harness = await WorkflowHarness.CreateAsync(configure: s => s.Replace(ServiceDescriptor.Singleton<IVisitResultsExporter>(exporter)));
        await harness.PublishAsync(ExportThenMarkReviewed());
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.40"));
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);

        var done = await harness.WaitForInstanceAsync(study, v => v.Status == "Complete", "the export completes");

        var request = Assert.Single(exporter.Requests);
        Assert.Equal((study, harness.TrialId), (request.StudyId, request.TrialId));
        Assert.StartsWith($"{done.Id}/", request.IdempotencyKey);
        Assert.Contains("ExportToEdc", request.AuditReason);
        Assert.Equal(StudyStatus.InReview, await harness.StatusOfAsync(study));
    }

    [Fact]
    public async Task An_EDC_that_keeps_failing_is_retried_then_becomes_an_incident_not_a_lost_export()
    {
        var exporter = new RecordingExporter(failures: int.MaxValue);
        await using var harness = await WorkflowHarness.CreateAsync(maxAttempts: 3, configure: s => s.Replace(ServiceDescriptor.Singleton<IVisitResultsExporter>(exporter)));
        await harness.PublishAsync(ExportThenMarkReviewed());
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.41"));
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);

        var done = (await WorkflowHarness.EventuallyAsync(async () =>
        {
            harness.Clock.Advance(TimeSpan.FromSeconds(30));
            return (await harness.Workflows.ForStudyAsync(study)).Single();
        }, v => v.Status == "Complete", "the error branch completes"))!;

        Assert.Equal(3, exporter.Requests.Count);
        Assert.Single(exporter.Requests.Select(r => r.IdempotencyKey).Distinct());
        var incident = Assert.Single(done.Incidents);
        Assert.Equal(("export", 3), (incident.ActivityId, incident.Attempts));
        Assert.Contains("HTTP 503", incident.Message);
        Assert.Contains(done.Journal, j => j.ActivityId == "tell" && j.Kind == JournalEntryKind.Completed);
        Assert.Equal(StudyStatus.Complete, await harness.StatusOfAsync(study));
        await using var db = harness.Db();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "WorkflowIncident" && e.EntityId == done.Id));
    }

    [Fact]
    public async Task Without_a_configured_export_the_step_ends_in_an_incident_that_says_so()
    {
        await using var harness = await WorkflowHarness.CreateAsync(maxAttempts: 1);
        await harness.PublishAsync(ExportThenMarkReviewed());
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.42"));
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);

        var done = await harness.WaitForInstanceAsync(study, v => v.Status == "Complete", "the error branch completes");

        Assert.Contains("No EDC export is configured", Assert.Single(done.Incidents).Message);
    }
}
