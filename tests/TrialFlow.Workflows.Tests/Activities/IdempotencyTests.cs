using TrialFlow.Workflows.Activities.Builtin;
namespace TrialFlow.Workflows.Tests.Activities;

/// <summary>A step can run twice when the process dies between its side effect and the save of the instance.</summary>
public sealed class IdempotencyTests
{
    private static ActivityContext Context(WorkflowHarness harness, Guid study, string pointer, string activity) =>
        new("instance-1", "wf", 1, activity, "X", pointer, study, harness.TrialId, null, null, harness.Clock.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task Notify_run_twice_for_one_step_notifies_and_audits_once_but_a_later_pass_of_a_loop_notifies_again()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.30"));
        var notify = ActivatorUtilities.CreateInstance<Notify>(harness.Services);
        notify.Recipient = "SiteUser";
        notify.Title = "Please resend";

        await notify.ExecuteAsync(Context(harness, study, "p1", "tell"), CancellationToken.None);
        await notify.ExecuteAsync(Context(harness, study, "p1", "tell"), CancellationToken.None);
        await notify.ExecuteAsync(Context(harness, study, "p2", "tell"), CancellationToken.None);

        await using var wf = harness.Store.Context();
        Assert.Equal(2, await wf.Notifications.CountAsync());
        await using var db = harness.Db();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "Notified"));
    }

    [Fact]
    public async Task SetStudyStatus_run_twice_changes_and_audits_once()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.31"));
        var set = ActivatorUtilities.CreateInstance<SetStudyStatus>(harness.Services);
        set.Status = StudyStatus.QcPassed;

        await set.ExecuteAsync(Context(harness, study, "p1", "mark"), CancellationToken.None);
        await set.ExecuteAsync(Context(harness, study, "p1", "mark"), CancellationToken.None);

        await using var db = harness.Db();
        Assert.Equal(StudyStatus.QcPassed, await harness.StatusOfAsync(study));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.EntityId == study.ToString() && e.NewValues!.Contains("QcPassed")));
    }

    [Fact]
    public async Task Decision_and_Delay_follow_their_inputs_and_state()
    {
        var decision = new Decision { Condition = false };
        var delay = new Delay { Duration = TimeSpan.FromHours(2) };
        var first = new ActivityContext("i", "wf", 1, "d", "Delay", "p", Guid.NewGuid(), Guid.NewGuid(), null, null, DateTime.UtcNow);

        Assert.Equal(ActivityResult.Outcome("false"), await decision.ExecuteAsync(first, CancellationToken.None));
        Assert.Equal(ActivityResult.SleepFor(TimeSpan.FromHours(2), "waiting"), await delay.ExecuteAsync(first, CancellationToken.None));
        Assert.Equal(ActivityResult.Done, await delay.ExecuteAsync(first with { State = "waiting" }, CancellationToken.None));
    }
}
