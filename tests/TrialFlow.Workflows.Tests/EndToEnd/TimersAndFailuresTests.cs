using static TrialFlow.Workflows.Tests.Support.Flowcharts;

namespace TrialFlow.Workflows.Tests.EndToEnd;

public sealed class TimersAndFailuresTests
{
    [Fact]
    public async Task A_delay_resumes_only_after_its_time_has_passed()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await harness.PublishAsync(Chain("delayed-review",
            (Node("wait", "Delay", ("duration", InputExpression.Literal("1.00:00:00"))), "done"),
            (Node("review", "SetStudyStatus", ("status", InputExpression.Literal("InReview"))), "done")));
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.20"));
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);
        var sleeping = await harness.WaitForInstanceAsync(study, v => v.Journal.Any(j => j.ActivityId == "wait" && j.Kind == JournalEntryKind.Suspended), "the delay starts");
        var slept = sleeping.Journal.Single(j => j.ActivityId == "wait").StartedAt;

        harness.Clock.Advance(TimeSpan.FromHours(23));
        // Polls pass at 23 h; the instance must still be sleeping.
        await harness.PollsPassAsync();
        Assert.Equal(["wait"], (await harness.Workflows.FindAsync(sleeping.Id))!.CurrentActivities);
        Assert.Equal(StudyStatus.Complete, await harness.StatusOfAsync(study));

        harness.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var done = await harness.WaitForInstanceAsync(study, v => v.Status == "Complete", "the delay ends");

        var resumed = done.Journal.Single(j => j.ActivityId == "wait" && j.Kind == JournalEntryKind.Completed).StartedAt;
        Assert.True(resumed - slept >= TimeSpan.FromDays(1), $"resumed after {resumed - slept}");
        Assert.Equal(StudyStatus.InReview, await harness.StatusOfAsync(study));
    }

    [Fact]
    public async Task A_failing_activity_is_retried_a_capped_number_of_times_then_takes_error_with_an_incident()
    {
        await using var harness = await WorkflowHarness.CreateAsync(maxAttempts: 3);
        var document = Document("broken",
            [Node("completed", "StudyCompleted"), Node("check", "Decision", ("condition", InputExpression.JavaScript("study.protocol.sliceThickness < 2"))),
             Node("tell", "Notify", ("title", InputExpression.Literal("QC check failed to run")))],
            [Edge("completed", "done", "check"), Edge("check", "error", "tell")]);
        await harness.PublishAsync(document);
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.21"));
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);

        // Retries sleep on the injected clock: move it on while waiting.
        var done = (await WorkflowHarness.EventuallyAsync(async () =>
        {
            harness.Clock.Advance(TimeSpan.FromSeconds(30));
            return (await harness.Workflows.ForStudyAsync(study)).Single();
        }, v => v.Status == "Complete", "the error branch completes"))!;

        var faults = done.Journal.Where(j => j.ActivityId == "check").ToList();
        Assert.Equal([JournalEntryKind.Faulted, JournalEntryKind.Faulted, JournalEntryKind.Faulted], faults.Select(f => f.Kind));
        Assert.Equal("error", faults[^1].Outcome);
        Assert.Contains("input 'condition'", faults[^1].Message);
        var incident = Assert.Single(done.Incidents);
        Assert.Equal(("check", 3), (incident.ActivityId, incident.Attempts));
        Assert.Contains(done.Journal, j => j.ActivityId == "tell" && j.Kind == JournalEntryKind.Completed);
        await using var db = harness.Db();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "WorkflowIncident" && e.EntityId == done.Id));
    }

    [Fact]
    public async Task A_wait_for_signal_is_released_by_the_signal_for_its_own_pass_only()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await harness.PublishAsync(Chain("sign-off",
            (Node("sign-off", "WaitForSignal", ("signal", InputExpression.Literal("Images reviewed"))), "done"),
            (Node("review", "SetStudyStatus", ("status", InputExpression.Literal("InReview"))), "done")));
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.23"));
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);
        var waiting = await harness.WaitForInstanceAsync(study, v => v.Journal.Any(j => j.ActivityId == "sign-off" && j.Kind == JournalEntryKind.Suspended), "the wait begins");

        Assert.False(await harness.Workflows.SignalAsync(waiting.Id, "review", WorkflowHarness.StudyManager));
        Assert.True(await harness.Workflows.SignalAsync(waiting.Id, "sign-off", WorkflowHarness.StudyManager));

        await harness.WaitForInstanceAsync(study, v => v.Status == "Complete", "the signal releases the wait");
        Assert.Equal(StudyStatus.InReview, await harness.StatusOfAsync(study));
        Assert.False(await harness.Workflows.SignalAsync(waiting.Id, "sign-off", WorkflowHarness.StudyManager));
        await using var db = harness.Db();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "WorkflowSignalled" && e.EntityId == waiting.Id && e.ActorName == "Sam Study-Manager"));
    }

    [Fact]
    public async Task A_completed_study_starts_exactly_one_instance_even_when_two_starters_race()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await harness.PublishAsync(WorkflowHarness.ShippedQcGate());
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.22"));

        var started = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => harness.Starter.StartPendingAsync(CancellationToken.None)));

        Assert.Equal(1, started.Sum());
        await using var wf = harness.Store.Context();
        Assert.Equal(1, await wf.Instances.CountAsync(i => i.Reference == $"qc-gate:{study}"));
    }
}
