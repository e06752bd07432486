using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using TrialFlow.Intake;
using TrialFlow.Intake.Staging;
using TrialFlow.Qc.Service;
using TrialFlow.Workflows;
using TrialFlow.Workflows.Activities.Builtin;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Publishing;
using TrialFlow.Workflows.Runtime;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Models.LifeCycleEvents;

namespace TrialFlow.Benchmarks.Workflows;

/// <summary>
/// The shipped qc-gate.json over generated CT studies received through the real intake (half compliant with the demo
/// protocol, half with 7.5 mm slices; no reading), run by WorkflowCore on TrialFlow's EF Core persistence in SQLite and,
/// as the peer, on WorkflowCore's own in-memory persistence with the same definition and activities (RunQc included:
/// QC reads the archived headers). Throughput: instances/s from the start until every instance has completed or is
/// parked at its 7-day deadline. Resume: a WaitForSignal flowchart; time from publishing the signal to the wait step
/// completing (WorkflowCore's StepCompleted), one signal at a time.
/// </summary>
public sealed class WorkflowBenchmark() : Benchmark("workflows", "qc-gate instances/s and signal→resume latency, EF Core/SQLite vs WorkflowCore in-memory persistence")
{
    private static readonly Actor Manager = new("u-bench", "Sam Study-Manager", "StudyManager", SiteScope.Unrestricted);

    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var studies = BenchmarkArgs.Int(args, 0, 500);
        var signals = BenchmarkArgs.Int(args, 1, 200);
        var ours = await MeasureAsync(peer: false, studies, signals, cancellationToken);
        var peer = await MeasureAsync(peer: true, studies, signals, cancellationToken);

        Console.WriteLine($"workflows benchmark: qc-gate.json, {studies} CT studies of 4 images received through intake (half fail QC and park at the 7-day deadline), {signals} signals; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        MarkdownTable.Header("measurement", "TrialFlow (EF Core, SQLite)", "peer: WorkflowCore in-memory persistence", "ratio (TrialFlow / peer)");
        Console.WriteLine($"| qc-gate instances/s | {ours.Rate:N0} | {peer.Rate:N0} | {ours.Rate / peer.Rate:F2} |");
        foreach (var p in new[] { 50, 95, 99 })
            Console.WriteLine($"| signal→resume p{p} | {Percentile(ours.Latencies, p):F1} ms | {Percentile(peer.Latencies, p):F1} ms | {Percentile(ours.Latencies, p) / Percentile(peer.Latencies, p):F2} |");
    }

    private static async Task<(double Rate, List<double> Latencies)> MeasureAsync(bool peer, int studies, int signals, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"trialflow-bench-workflows-{Guid.NewGuid():N}");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TrialFlow:DataDirectory"] = directory,
            ["TrialFlow:Workflows:PollInterval"] = "00:00:01",
            ["TrialFlow:Qc:RunOnIntake"] = "false",
        }).Build();
        var database = DatabaseOptions.FromConfiguration(configuration);
        var intake = new IntakeOptions
        {
            DataDirectory = directory,
            StagingKey = RandomNumberGenerator.GetBytes(32),
            DefaultProfile = Repository.Path("rulesets", "deid", "trial-default.yaml"),
            StableStudyAge = TimeSpan.Zero,
        };
        using var stores = new IntakeStores(intake);
        var services = new ServiceCollection().AddLogging().AddSingleton(database)
            .AddTrialFlowQc(configuration, Repository.Path(), _ => stores.Archive.OpenRead)
            .AddTrialFlowWorkflows(configuration, runInBackground: false, inMemoryPeer: peer)
            .BuildServiceProvider();
        try
        {
            await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, Manager))
                await db.MigrateAsync(cancellationToken);
            await services.GetRequiredService<WorkflowStore>().MigrateAsync(cancellationToken);
            var (trialId, studyIds) = await SeedAsync(database, intake, stores, configuration, studies, cancellationToken);
            var qcGate = WorkflowJson.Load(Repository.Path("workflows", "qc-gate.json"));
            var signal = SignalFlowchart();
            await Register(services, peer, qcGate, trialId);
            await Register(services, peer, signal, null);

            var host = services.GetRequiredService<IWorkflowHost>();
            var steps = new ConcurrentDictionary<string, long>();
            services.GetRequiredService<ILifeCycleEventHub>().Subscribe(e =>
            {
                if (e is StepCompleted { StepId: 1 } s && s.WorkflowDefinitionId == signal.DefinitionId)
                    steps.TryAdd(s.WorkflowInstanceId, Stopwatch.GetTimestamp());
            });
            await host.StartAsync(cancellationToken);
            var persistence = services.GetRequiredService<IPersistenceProvider>();
            var controller = services.GetRequiredService<IWorkflowController>();

            var clock = Stopwatch.StartNew();
            var ids = peer
                ? await StartEachAsync(controller, qcGate.DefinitionId, trialId, studyIds)
                : await StartThroughTriggerAsync(services, studyIds.Count);
            var startedAfter = clock.Elapsed;
            await UntilAsync(persistence, ids, Settled, cancellationToken);
            clock.Stop();
            Console.WriteLine($"{(peer ? "peer" : "TrialFlow")}: {ids.Count} instances started in {startedAfter.TotalSeconds:F1} s, all settled after {clock.Elapsed.TotalSeconds:F1} s");
            var rate = ids.Count / clock.Elapsed.TotalSeconds;
            if (!peer)
            {
                await using var wf = services.GetRequiredService<WorkflowStore>().Context();
                var journal = wf.Journal.Select(j => new { j.ActivityType, j.StartedAt, j.EndedAt }).ToList();
                Console.WriteLine("time inside activities (TrialFlow run): " + string.Join(", ", journal.GroupBy(j => j.ActivityType)
                    .Select(g => $"{g.Key} {g.Average(j => (j.EndedAt - j.StartedAt).TotalMilliseconds):F1} ms")));
            }

            var waiting = await StartEachAsync(controller, signal.DefinitionId, trialId, studyIds.Take(signals).ToList());
            await UntilAsync(persistence, waiting, w => w.ExecutionPointers.Any(p => p.Status == PointerStatus.WaitingForEvent), cancellationToken);
            var latencies = new List<double>();
            foreach (var id in waiting)
            {
                var key = (await persistence.GetWorkflowInstance(id, cancellationToken)).ExecutionPointers.Single(p => p.Status == PointerStatus.WaitingForEvent).EventKey;
                var sent = Stopwatch.GetTimestamp();
                await host.PublishEvent(WaitForSignal.EventName, key, "bench");
                while (!steps.ContainsKey(id))
                    await Task.Delay(1, cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(sent, steps[id]).TotalMilliseconds);
            }
            await host.StopAsync(cancellationToken);
            return (rate, latencies);
        }
        finally
        {
            await services.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Done for throughput: completed (passed branch) or parked at the 7-day deadline (failed branch).</summary>
    private static bool Settled(WorkflowInstance w) =>
        w.Status == WorkflowStatus.Complete || w.ExecutionPointers.Any(p => p.SleepUntil > DateTime.UtcNow.AddDays(1));

    private static async Task Register(ServiceProvider services, bool peer, WorkflowDocument document, Guid? trialId)
    {
        if (peer)
        {
            services.GetRequiredService<IWorkflowRegistry>().RegisterWorkflow(services.GetRequiredService<GraphCompiler>().Compile(document));
            return;
        }
        var definitions = services.GetRequiredService<WorkflowDefinitions>();
        await definitions.SaveDraftAsync(document, trialId, Manager);
        await definitions.PublishAsync(document.DefinitionId, "benchmark", Manager);
    }

    private static async Task<List<string>> StartThroughTriggerAsync(ServiceProvider services, int expected)
    {
        // The studies completed before the workflow was bound: a binding applies from now on, so they are started the way a
        // study manager starts them on earlier studies (the same start path as the StudyCompleted trigger).
        var started = await services.GetRequiredService<StudyWorkflowStarter>().StartExistingAsync("qc-gate", Enum.GetNames<StudyStatus>(), CancellationToken.None);
        if (started != expected)
            throw new InvalidOperationException($"the trigger started {started} instances, expected {expected}");
        await using var wf = services.GetRequiredService<WorkflowStore>().Context();
        return [.. wf.Instances.Where(i => i.DefinitionId == "qc-gate").Select(i => i.Id)];
    }

    private static async Task<List<string>> StartEachAsync(IWorkflowController controller, string definitionId, Guid trialId, List<Guid> studyIds)
    {
        var ids = new List<string>();
        foreach (var study in studyIds)
            ids.Add(await controller.StartWorkflow(definitionId, null, new StudyWorkflowData { StudyId = study.ToString(), TrialId = trialId.ToString() }, $"{definitionId}:{study}"));
        return ids;
    }

    private static async Task UntilAsync(IPersistenceProvider persistence, List<string> ids, Func<WorkflowInstance, bool> done, CancellationToken cancellationToken)
    {
        var pending = new HashSet<string>(ids);
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (pending.Count > 0)
        {
            try
            {
                foreach (var w in (await persistence.GetWorkflowInstances(pending.ToList(), cancellationToken)).ToList())
                    if (done(w))
                        pending.Remove(w.Id);
            }
            catch (InvalidOperationException)
            {
                // The in-memory peer hands out its live collections; they may change while we look. Look again.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{pending.Count} instances did not settle");
            if (pending.Count > 0)
                await Task.Delay(20, cancellationToken);
        }
    }

    private static WorkflowDocument SignalFlowchart() => new()
    {
        DefinitionId = "bench-signal",
        Name = "Signal benchmark",
        Root = new FlowchartNode
        {
            Activities =
            [
                new ActivityNode { Id = "completed", Type = "StudyCompleted" },
                new ActivityNode { Id = "sign-off", Type = "WaitForSignal", Inputs = new Dictionary<string, InputExpression> { ["signal"] = InputExpression.Literal("go") } },
            ],
            Connections = [new Connection(new Endpoint("completed", "done"), new Endpoint("sign-off", "in"))],
        },
    };

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Trial TF-ONC-301 (the demo protocol), site 101, subject 101-001; every study pushed through the real intake and completed.</summary>
    private static async Task<(Guid TrialId, List<Guid> Studies)> SeedAsync(DatabaseOptions database, IntakeOptions intake, IntakeStores stores,
        IConfiguration configuration, int count, CancellationToken cancellationToken)
    {
        Guid trialId, siteId;
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, Manager))
        {
            var trial = new Trial("TF-ONC-301", "Bench Sponsor", "Workflow benchmark");
            var site = trial.AddSite("101", "Bench Site", "DE", "Europe/Berlin").Active();
            var baseline = trial.AddVisit("BASELINE", "Baseline", 0, 28, 0);
            trial.AddVisit("WK06", "Week 6", 42, 7, 7);
            var subject = new Subject(trial.Id, site.Id, "101-001", SubjectStatus.Enrolled);
            subject.AddVisit(baseline, new DateOnly(2026, 3, 2));
            db.Trials.Add(trial);
            db.Subjects.Add(subject);
            await db.SaveChangesAsync(cancellationToken);
            (trialId, siteId) = (trial.Id, site.Id);
        }
        var pseudonyms = new PseudonymStore(PseudonymStoreOptions.FromConfiguration(configuration));
        await pseudonyms.MigrateAsync(cancellationToken);
        var receiver = new IntakeReceiver(stores, intake);
        var pipeline = new IntakePipeline(stores, new DeidProfileCatalog(intake), pseudonyms, database, TimeProvider.System, NullLogger<IntakePipeline>.Instance);
        var seeding = Stopwatch.StartNew();
        for (var s = 0; s < count; s++)
        {
            // Even studies comply with the protocol (the passed branch); odd ones have 7.5 mm slices (the failed branch).
            var study = new CtStudy($"2.25.{Random.Shared.NextInt64(1, long.MaxValue)}{s}") { SliceThickness = s % 2 == 0 ? 1.25 : 7.5 };
            foreach (var bytes in study.Files())
            {
                var staged = await receiver.StageAsync(new StagedObject(IntakeChannel.DicomPush, trialId, siteId, DateTime.UtcNow, "BENCH_CT@127.0.0.1", null, null, null, bytes.Length),
                    new MemoryStream(bytes), cancellationToken);
                if (await pipeline.ProcessAsync(staged, cancellationToken) != IntakeOutcome.Archived)
                    throw new InvalidOperationException("a generated study did not pass intake");
            }
        }
        var completed = await new StudyCompletion(database, intake, TimeProvider.System).CompleteStableStudiesAsync(cancellationToken);
        Console.WriteLine($"seeded {completed.Count} studies through intake in {seeding.Elapsed.TotalSeconds:F1} s");
        return (trialId, completed.Select(c => c.Id).ToList());
    }
}
