using System.Diagnostics;
using System.Security.Cryptography;
using TrialFlow.Core.Audit;
using static TrialFlow.Workflows.Tests.Support.Flowcharts;

namespace TrialFlow.Workflows.Tests.EndToEnd;

/// <summary>
/// A host process running 200 instances is killed (SIGKILL) mid-flight and started again: every instance completes and
/// no side effect (status change, notification, audit event, journal entry) exists twice.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CrashRecoveryTests
{
    private const int Studies = 200;

    /// <summary>How long a wait that includes starting a host process may take: bounds a hang, measures nothing.</summary>
    private static readonly TimeSpan HostStart = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Killing_the_host_with_instances_in_flight_loses_nothing_and_duplicates_nothing()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await CreateCompletedStudiesAsync(harness);
        await harness.PublishAsync(Document("crash",
            [Node("completed", "StudyCompleted"), Node("qc", "Decision", ("condition", InputExpression.JavaScript("study.numberOfInstances >= 2"))),
             Node("passed", "SetStudyStatus", ("status", InputExpression.Literal("QcPassed"))), Node("failed", "SetStudyStatus", ("status", InputExpression.Literal("QcFailed"))),
             Node("tell", "Notify", ("title", InputExpression.Literal("QC done"))), Node("pause", "Delay", ("duration", InputExpression.Literal("00:00:02"))),
             Node("remind", "Notify", ("title", InputExpression.Literal("Reminder")))],
            [Edge("completed", "done", "qc"), Edge("qc", "true", "passed"), Edge("qc", "false", "failed"), Edge("passed", "done", "tell"),
             Edge("failed", "done", "tell"), Edge("tell", "done", "pause"), Edge("pause", "done", "remind")]));

        using (var first = StartHost(harness))
        {
            // A host process starting (JIT, engine, 200 instances) beside other test assemblies on two cores took over
            // the usual 60 s: these two waits include a start, so they get longer.
            await WorkflowHarness.EventuallyAsync(() => CountAsync(harness, "Notified"), n => n >= 20, "the first host notifies", HostStart);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        var notifiedAtCrash = await CountAsync(harness, "Notified");

        using var second = StartHost(harness);
        try
        {
            await WorkflowHarness.EventuallyAsync(async () =>
            {
                await using var wf = harness.Store.Context();
                return await wf.Instances.CountAsync(i => i.Status == "Complete");
            }, n => n == Studies, "every instance completes after the restart", HostStart);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        Assert.InRange(notifiedAtCrash, 20, 2 * Studies - 1);
        await using var wfDb = harness.Store.Context();
        Assert.Equal(Studies, await wfDb.Instances.CountAsync());
        var notes = await wfDb.Notifications.Select(n => new { n.StudyId, n.Title }).ToListAsync();
        Assert.Equal(2 * Studies, notes.Count);
        Assert.Equal(2 * Studies, notes.Distinct().Count());
        var journal = await wfDb.Journal.Where(j => j.Kind == JournalEntryKind.Completed).Select(j => new { j.InstanceId, j.ActivityId }).ToListAsync();
        Assert.Equal(journal.Count, journal.Distinct().Count());
        Assert.Equal(6 * Studies, journal.Count);

        await using var db = harness.Db();
        Assert.Equal(2 * Studies, await CountAsync(harness, "Notified"));
        var statusChanges = await db.AuditEvents.Where(e => e.EntityType == "ImagingStudy" && e.Action == "Update" && e.Reason!.Contains("workflow crash"))
            .Select(e => e.EntityId).ToListAsync();
        Assert.Equal(Studies, statusChanges.Count);
        Assert.Equal(Studies, statusChanges.Distinct().Count());
        Assert.Equal(Studies / 2, await db.Studies.CountAsync(s => s.Status == StudyStatus.QcPassed));
        Assert.True((await AuditChainVerifier.VerifyAsync(db, CancellationToken.None)).IsIntact);
    }

    private static Process StartHost(WorkflowHarness harness)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TrialFlow.Workflows.CrashHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add($"--TrialFlow:DataDirectory={harness.DataDirectory}");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<int> CountAsync(WorkflowHarness harness, string action)
    {
        await using var db = harness.Db();
        return await db.AuditEvents.CountAsync(e => e.Action == action);
    }

    /// <summary>Completed studies written directly (intake is proven elsewhere): even ones with 3 images, odd ones with 1.</summary>
    private static async Task CreateCompletedStudiesAsync(WorkflowHarness harness)
    {
        await using var db = harness.Db();
        var subject = await db.Subjects.SingleAsync();
        var now = harness.Clock.GetUtcNow().UtcDateTime;
        for (var s = 0; s < Studies; s++)
        {
            var study = new ImagingStudy(harness.TrialId, harness.SiteId, subject.Id, null, $"2.25.{s + 1}{RandomNumberGenerator.GetInt32(1, int.MaxValue)}", now);
            var series = study.AddSeries($"2.25.{s + 1}0{RandomNumberGenerator.GetInt32(1, int.MaxValue)}", "CT", 2, "Portal venous");
            for (var i = 0; i < (s % 2 == 0 ? 3 : 1); i++)
                series.AddInstance($"2.25.{s + 1}00{i}{RandomNumberGenerator.GetInt32(1, int.MaxValue)}", "1.2.840.10008.5.1.4.1.1.2", i + 1, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), 1000, now);
            study.Recount();
            study.MarkComplete(now);
            db.Studies.Add(study);
        }
        await db.SaveChangesAsync();
    }
}
