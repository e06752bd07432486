using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Activities.Builtin;

namespace TrialFlow.Qc.Tests.Workflows;

/// <summary>The workflow activity RunQc routes a study on its real QC outcome, and runs QC once however often it runs.</summary>
public sealed class RunQcActivityTests
{
    [Fact]
    public async Task A_compliant_study_leaves_by_passed_and_a_deviating_one_by_failed()
    {
        await using var harness = await QcHarness.CreateAsync();
        await using var db = harness.Db();
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.600"));
        var compliant = (await db.Studies.SingleAsync()).Id;
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.601") { SliceThickness = 7.5 });
        var deviating = (await db.Studies.SingleAsync(s => s.Id != compliant)).Id;

        Assert.Equal("passed", await RunAsync(harness, compliant));
        Assert.Equal("failed", await RunAsync(harness, deviating));
    }

    [Fact]
    public async Task Running_the_step_again_after_a_crash_does_not_run_QC_twice()
    {
        await using var harness = await QcHarness.CreateAsync();
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.602") { SliceThickness = 7.5 });
        await using var db = harness.Db();
        var studyId = (await db.Studies.SingleAsync()).Id;

        var first = await RunAsync(harness, studyId);
        var again = await RunAsync(harness, studyId);

        Assert.Equal(("failed", "failed"), (first, again));
        Assert.Equal(1, await db.QcResults.CountAsync());
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "QcRun"));
    }

    private static async Task<string> RunAsync(QcHarness harness, Guid studyId)
    {
        var context = new ActivityContext("instance-1", "qc-gate", 1, "qc", "RunQc", "pointer-1", studyId, harness.TrialId, null, null, harness.Clock.GetUtcNow().UtcDateTime);
        var result = await new RunQc(harness.Qc).ExecuteAsync(context, CancellationToken.None);
        return Assert.IsType<OutcomeResult>(result).Port;
    }
}
