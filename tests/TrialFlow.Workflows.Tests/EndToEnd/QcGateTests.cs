using TrialFlow.Core.Events;
using TrialFlow.Qc.Service;

namespace TrialFlow.Workflows.Tests.EndToEnd;

/// <summary>The shipped qc-gate.json on WorkflowCore with our persistence, over studies received by the real intake.</summary>
public sealed class QcGateTests
{
    /// <summary>7.5 mm slices: outside the protocol's 0.5–5 mm, a QC failure.</summary>
    private static CtStudy ThickSlices(string studyUid) => new(studyUid) { SliceThickness = 7.5 };

    [Fact]
    public async Task A_compliant_study_takes_the_passed_branch_and_a_non_compliant_one_the_failed_branch()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await harness.PublishAsync(WorkflowHarness.ShippedQcGate());
        var compliant = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.10"));
        var deviating = await harness.ReceiveCompletedStudyAsync(ThickSlices("1.2.826.0.1.3680043.2.11"));
        await harness.StartEngineAsync();

        // Delivered events start them (the workflow's publication and the studies' completion); nothing is left to catch up.
        await harness.DispatchEventsAsync();
        Assert.Equal(0, await harness.Starter.StartPendingAsync(CancellationToken.None));

        var passed = await harness.WaitForInstanceAsync(compliant, v => v.Status == "Complete", "the compliant study's instance completes");
        var failed = await harness.WaitForInstanceAsync(deviating, v => v.CurrentActivities.SequenceEqual(["deadline"]) && v.Journal.Any(j => j.ActivityId == "deadline"), "the deviating study waits at the deadline");

        Assert.Equal(["completed", "qc", "notify-passed"], passed.Journal.Select(j => j.ActivityId));
        Assert.Equal("passed", passed.Journal.Single(j => j.ActivityId == "qc").Outcome);
        Assert.Equal("failed", failed.Journal.Single(j => j.ActivityId == "qc").Outcome);
        Assert.Equal(["completed", "qc", "notify-site", "deadline"], failed.Journal.Select(j => j.ActivityId));
        Assert.Equal(StudyStatus.QcPassed, await harness.StatusOfAsync(compliant));
        Assert.Equal(StudyStatus.QcFailed, await harness.StatusOfAsync(deviating));

        await using var wf = harness.Store.Context();
        var notes = await wf.Notifications.OrderBy(n => n.Id).ToListAsync();
        Assert.Equal([(deviating, "SiteUser", "Study failed QC"), (compliant, "StudyManager", "Study passed QC")], notes.Select(n => (n.StudyId, n.Recipient, n.Title)).OrderBy(n => n.Title, StringComparer.Ordinal));
        Assert.Contains("4 images", notes.Single(n => n.StudyId == compliant).Message);

        await using var db = harness.Db();
        var statusAudit = await db.AuditEvents.Where(e => e.EntityType == "ImagingStudy" && e.Action == "Update" && e.EntityId == compliant.ToString()).ToListAsync();
        var change = Assert.Single(statusAudit, e => e.NewValues!.Contains("QcPassed"));
        Assert.Contains($"instance {passed.Id}, activity qc (RunQc)", change.Reason);
        var qcRuns = await db.AuditEvents.Where(e => e.Action == "QcRun").ToListAsync();
        Assert.Equal(2, qcRuns.Count);
        Assert.Contains("QC-SLICE-THICKNESS", qcRuns.Single(e => e.EntityId == deviating.ToString()).NewValues!);
        Assert.DoesNotContain("QC-", qcRuns.Single(e => e.EntityId == compliant.ToString()).NewValues!);
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "Notified"));
    }

    [Fact]
    public async Task A_study_the_intake_QC_worker_already_checked_still_starts_its_workflow_which_reuses_that_result()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await harness.PublishAsync(WorkflowHarness.ShippedQcGate());
        var study = await harness.ReceiveCompletedStudyAsync(ThickSlices("1.2.826.0.1.3680043.2.15"));
        // The host's QC worker got there first: the study is QcFailed before the starter looks.
        await harness.Services.GetRequiredService<QcService>().RunQcAsync(study);
        Assert.Equal(StudyStatus.QcFailed, await harness.StatusOfAsync(study));
        await harness.StartEngineAsync();

        Assert.Equal(1, await harness.Starter.StartPendingAsync(CancellationToken.None));

        var instance = await harness.WaitForInstanceAsync(study, v => v.CurrentActivities.SequenceEqual(["deadline"]), "the failed branch reaches the deadline");
        Assert.Equal("failed", instance.Journal.Single(j => j.ActivityId == "qc").Outcome);
        await using var db = harness.Db();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "QcRun"));
    }

    [Fact]
    public async Task A_failed_study_still_failed_after_seven_days_is_escalated()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await harness.PublishAsync(WorkflowHarness.ShippedQcGate());
        var deviating = await harness.ReceiveCompletedStudyAsync(ThickSlices("1.2.826.0.1.3680043.2.12"));
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);
        await harness.WaitForInstanceAsync(deviating, v => v.Journal.Any(j => j.ActivityId == "deadline" && j.Kind == JournalEntryKind.Suspended), "the deadline starts");

        harness.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        var done = await harness.WaitForInstanceAsync(deviating, v => v.Status == "Complete", "the escalation completes the instance");
        Assert.Equal("escalated", done.Journal.Single(j => j.ActivityId == "deadline" && j.Kind == JournalEntryKind.Completed).Outcome);
        await using var wf = harness.Store.Context();
        Assert.True(await wf.Notifications.AnyAsync(n => n.Title == "QC failure unresolved after 7 days" && n.StudyId == deviating));
    }

    [Fact]
    public async Task Running_instances_stay_on_their_version_and_new_studies_start_on_the_latest()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        var v1 = WorkflowHarness.ShippedQcGate();
        await harness.PublishAsync(v1);
        var first = await harness.ReceiveCompletedStudyAsync(ThickSlices("1.2.826.0.1.3680043.2.13"));
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);
        await harness.WaitForInstanceAsync(first, v => v.CurrentActivities.SequenceEqual(["deadline"]), "v1 instance waits at its deadline");

        // Version 2 drops the escalation: the running v1 instance must still escalate.
        var v2 = v1 with
        {
            Root = v1.Root with
            {
                Activities = [.. v1.Root.Activities.Where(a => a.Id is not ("deadline" or "notify-escalation"))],
                Connections = [.. v1.Root.Connections.Where(c => c.Source.Activity is not ("notify-site" or "deadline"))],
            },
        };
        Assert.Equal(2, await harness.PublishAsync(v2));
        var second = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.14"));
        await harness.Starter.StartPendingAsync(CancellationToken.None);
        var onV2 = await harness.WaitForInstanceAsync(second, v => v.Status == "Complete", "the v2 instance completes without a deadline");
        harness.Clock.Advance(TimeSpan.FromDays(8));
        var onV1 = await harness.WaitForInstanceAsync(first, v => v.Status == "Complete", "the v1 instance escalates");

        Assert.Equal((1, 2), (onV1.Version, onV2.Version));
        Assert.Contains(onV1.Journal, j => j.ActivityId == "notify-escalation");
        Assert.DoesNotContain(onV2.Journal, j => j.ActivityId == "deadline");
    }

    [Fact]
    public async Task A_study_completing_after_publication_starts_its_instance_from_its_StudyCompleted_event_once()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        var definition = WorkflowHarness.ShippedQcGate();
        await harness.PublishAsync(definition);
        await harness.DispatchEventsAsync();
        await using (var wf = harness.Store.Context())
            Assert.False(await wf.Instances.AnyAsync());

        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.16"));
        Assert.Equal(1, await harness.DispatchEventsAsync());
        Assert.Equal(0, await harness.DispatchEventsAsync());
        // The same event again (a second node, a delivery record lost in a crash): the database keeps one instance.
        var again = new StudyCompleted(study, harness.TrialId, harness.SiteId, harness.Clock.GetUtcNow().UtcDateTime);
        await harness.Services.GetRequiredService<StartWorkflowsOnStudyCompleted>().HandleAsync(again, new EventDelivery(Guid.NewGuid(), again.CompletedAt, 2), CancellationToken.None);
        Assert.Equal(0, await harness.Starter.StartPendingAsync(CancellationToken.None));

        await using var check = harness.Store.Context();
        var instance = await check.Instances.SingleAsync();
        Assert.Equal((study, definition.DefinitionId), (instance.StudyId, instance.DefinitionId));
        Assert.Equal(instance.Id, Assert.Single(await harness.Workflows.ForStudyAsync(study)).Id);
    }
}
