using Microsoft.Extensions.Logging.Abstractions;
using TrialFlow.Dicom.Network;
using TrialFlow.Intake;
using TrialFlow.Intake.Channels;

namespace TrialFlow.Benchmarks.Intake;

/// <summary>
/// DICOM push of N CT images (~40 KB) with dcmtk's storescu (TCP_NODELAY=1) into (a) dcmtk's storescp writing files,
/// (b) TrialFlow's full intake: encrypted staging before each acknowledgement, subject/visit match, de-identification,
/// content-addressed archive, index rows with audit events. TrialFlow's time runs until the last object is indexed.
/// </summary>
public sealed class IntakeBenchmark() : Benchmark("intake", "storescu of N CT files into TrialFlow's full intake vs dcmtk storescp writing to disk")
{
    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var count = BenchmarkArgs.Int(args, 0, 2000);
        using var folder = new BenchmarkFolder("intake");
        var root = folder.Path;
        var files = Path.Combine(root, "in");
        Directory.CreateDirectory(files);
        for (var i = 1; i <= count; i++)
            await File.WriteAllBytesAsync(Path.Combine(files, $"ct{i:D5}.dcm"),
                DicomSamples.CtImage(study: "1.2.826.0.1.3680043.10.1", instance: i, size: 140), cancellationToken);
        var megabytes = Directory.GetFiles(files).Sum(f => new FileInfo(f).Length) / 1e6;

        var storescp = await StorescpAsync(root, files, cancellationToken);
        var trialflow = await TrialFlowAsync(Path.Combine(root, "concurrent"), files, count, split: false, cancellationToken);
        // Where the time goes: the same push with the pipeline held back until every object is acknowledged.
        var split = await TrialFlowAsync(Path.Combine(root, "split"), files, count, split: true, cancellationToken);

        Console.WriteLine($"intake benchmark: {count} CT files, {megabytes:N1} MB, storescu with TCP_NODELAY=1, one association");
        Console.WriteLine();
        MarkdownTable.Header("receiver", "seconds", "instances/s", "MB/s");
        void Row(string receiver, double seconds) =>
            Console.WriteLine($"| {receiver} | {seconds:F2} | {count / seconds:N0} | {megabytes / seconds:N1} |");
        Row("dcmtk storescp (writes files)", storescp);
        Row("TrialFlow full intake (acknowledged after encrypted staging; indexed at the end)", trialflow.Total);
        Row("TrialFlow, acknowledgements only (pipeline held back)", split.Acknowledged);
        Row("TrialFlow, pipeline only (on what was staged)", split.Total - split.Acknowledged);
        Console.WriteLine();
        Console.WriteLine($"ratio (TrialFlow / storescp, instances/s): {storescp / trialflow.Total:F2}");
        Console.WriteLine($"per instance: storescp {storescp * 1000 / count:F2} ms; TrialFlow acknowledgement {split.Acknowledged * 1000 / count:F2} ms, pipeline {(split.Total - split.Acknowledged) * 1000 / count:F2} ms");
    }

    private static async Task<double> StorescpAsync(string root, string files, CancellationToken cancellationToken)
    {
        var output = Path.Combine(root, "storescp");
        Directory.CreateDirectory(output);
        var port = PeerTools.FreePort();
        using var scp = PeerTools.Start("storescp", "--output-directory", output, port.ToString());
        await Task.Delay(500, cancellationToken);
        var clock = Stopwatch.StartNew();
        await PeerTools.RunAsync("storescu", "-aet", "BENCH_CT", "-aec", "ANY-SCP", "127.0.0.1", port.ToString(), "+sd", files);
        clock.Stop();
        scp.Kill();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Seconds until every object is acknowledged and until every object is indexed.</summary>
    private static async Task<(double Acknowledged, double Total)> TrialFlowAsync(string data, string files, int count, bool split, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = data }).Build();
        var database = DatabaseOptions.FromConfiguration(configuration);
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, Actor.System("bench")))
        {
            await db.MigrateAsync(cancellationToken);
            var trial = new Trial("TF-BENCH", "Bench Sponsor", "Intake benchmark");
            var baseline = trial.AddVisit("BASELINE", "Baseline", 0, 28, 0);
            trial.AddVisit("WK06", "Week 6", 42, 7, 7);
            var site = trial.AddSite("101", "Bench Site", "DE", "Europe/Berlin").Active();
            site.AllowAeTitle("BENCH_CT");
            var subject = new Subject(trial.Id, site.Id, "101-001", SubjectStatus.Enrolled);
            subject.AddVisit(baseline, new DateOnly(2026, 3, 2));
            db.Trials.Add(trial);
            db.Subjects.Add(subject);
            await db.SaveChangesAsync(cancellationToken);
        }

        var pseudonyms = new PseudonymStore(PseudonymStoreOptions.FromConfiguration(configuration));
        await pseudonyms.MigrateAsync(cancellationToken);
        var options = new IntakeOptions { DataDirectory = data, StagingKey = RandomNumberGenerator.GetBytes(32), DefaultProfile = Repository.Path("rulesets", "deid", "trial-default.yaml") };
        using var stores = new IntakeStores(options);
        var receiver = new IntakeReceiver(stores, options);
        var pipeline = new IntakePipeline(stores, new DeidProfileCatalog(options), pseudonyms, database, TimeProvider.System, NullLogger<IntakePipeline>.Instance);
        var channel = new DicomPushChannel(receiver, options, database, TimeProvider.System, NullLogger<DicomPushChannel>.Instance);
        await using var server = new DicomServer(new DicomServerOptions { Port = 0, BindAddress = "127.0.0.1" }, channel, channel, channel, NullLogger<DicomServer>.Instance, TimeProvider.System);
        await server.StartAsync(cancellationToken);

        // The host's own worker: batches what is waiting, one transaction per batch.
        var worker = new IntakeWorker(receiver, pipeline, stores.Attempts, options, TimeProvider.System, NullLogger<IntakeWorker>.Instance);
        if (!split)
            await worker.StartAsync(cancellationToken);

        var clock = Stopwatch.StartNew();
        await PeerTools.RunAsync("storescu", "-aet", "BENCH_CT", "-aec", "TRIALFLOW", "127.0.0.1", server.LocalEndPoint!.Port.ToString(), "+sd", files);
        var acknowledged = clock.Elapsed;
        if (split)
            await worker.StartAsync(cancellationToken);
        await WaitForReceiptsAsync(database, count, cancellationToken);
        clock.Stop();
        await worker.StopAsync(cancellationToken);

        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, Actor.System("bench")))
        {
            var archived = await db.Instances.CountAsync(cancellationToken);
            if (archived != count)
                throw new InvalidOperationException($"only {archived} of {count} instances were archived");
        }

        return (acknowledged.TotalSeconds, clock.Elapsed.TotalSeconds);
    }

    private static async Task WaitForReceiptsAsync(DatabaseOptions database, int count, CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, Actor.System("bench"));
        while (await db.IntakeReceipts.CountAsync(cancellationToken) < count)
            await Task.Delay(20, cancellationToken);
    }
}
