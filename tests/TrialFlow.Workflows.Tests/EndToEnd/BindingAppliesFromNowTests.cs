using TrialFlow.Qc.Service;
using TrialFlow.Workflows.Publishing;

namespace TrialFlow.Workflows.Tests.EndToEnd;

/// <summary>
/// Binding a workflow to a trial applies it to studies that complete from then on. Studies that completed before are
/// shown, by status, and join only when a study manager chooses them, with a reason that is audited.
/// </summary>
public sealed class BindingAppliesFromNowTests
{
    [Fact]
    public async Task Binding_to_a_trial_with_completed_studies_starts_nothing_on_them_until_a_study_manager_chooses_which()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        var complete = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.40"));
        var failed = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.41") { SliceThickness = 7.5 });
        await harness.Services.GetRequiredService<QcService>().RunQcAsync(failed);
        harness.Clock.Advance(TimeSpan.FromMinutes(5));

        await harness.PublishAsync(WorkflowHarness.ShippedQcGate());
        await harness.StartEngineAsync();
        await harness.DispatchEventsAsync();

        Assert.Equal(0, await harness.Starter.StartPendingAsync(CancellationToken.None));
        await using (var wf = harness.Store.Context())
            Assert.False(await wf.Instances.AnyAsync());
        var existing = await harness.Starter.ExistingAsync("qc-gate", CancellationToken.None);
        Assert.Equal(harness.Clock.GetUtcNow().UtcDateTime, existing.AppliesFrom!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(new Dictionary<string, int> { ["Complete"] = 1, ["QcFailed"] = 1 }, existing.ByStatus);

        // A study completing after the binding starts by itself.
        var later = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.42"));
        await harness.DispatchEventsAsync();

        var backfill = harness.Services.GetRequiredService<WorkflowBackfill>();
        await Assert.ThrowsAsync<ArgumentException>(() => backfill.StartAsync("qc-gate", ["QcFailed"], " ", WorkflowHarness.StudyManager));
        Assert.Equal(1, await backfill.StartAsync("qc-gate", ["QcFailed"], "re-check the failed baseline after the protocol amendment", WorkflowHarness.StudyManager));
        Assert.Equal(0, await backfill.StartAsync("qc-gate", ["QcFailed"], "asked twice", WorkflowHarness.StudyManager));

        await using var check = harness.Store.Context();
        Assert.Equal(new[] { failed, later }.Order(), (await check.Instances.Select(i => i.StudyId!.Value).ToListAsync()).Order());
        Assert.Equal(new Dictionary<string, int> { ["Complete"] = 1 }, (await harness.Starter.ExistingAsync("qc-gate", CancellationToken.None)).ByStatus);
        Assert.DoesNotContain(complete, await check.Instances.Select(i => i.StudyId!.Value).ToListAsync());
        await using var db = harness.Db();
        var audit = await db.AuditEvents.Where(e => e.Action == "WorkflowStartedOnExistingStudies").OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.Contains("\"started\":1", audit[0].NewValues);
        Assert.Contains("\"reason\":\"re-check the failed baseline after the protocol amendment\"", audit[0].NewValues);
        Assert.Contains("\"started\":0", audit[1].NewValues);
        Assert.Equal("Sam Study-Manager", audit[0].ActorName);
    }
}
