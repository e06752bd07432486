using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using TrialFlow.Reports.Sdtm;

namespace TrialFlow.Benchmarks.Edc;

/// <summary>
/// SDTM TU/TR/RS export of a generated trial (N subjects × 6 timepoints × 2 readers, adjudications) into three CSV
/// files: the streaming writer against a naive writer that materializes every subject and every row first. Time is
/// the best of three runs; peak live heap is measured in separate runs that force a full collection every 50
/// subjects (and once with all rows built, for the peer), so garbage not yet collected does not count. Both outputs
/// are compared byte for byte.
/// </summary>
public sealed class EdcBenchmark : IBenchmark
{
    public string Name => "edc";

    public string Description => "SDTM TU/TR/RS CSV export, 500 and 2000 subjects × 6 timepoints × 2 readers: time and peak live heap vs a materializing writer";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var sizes = args.Count > 0 ? args.Select(int.Parse).ToArray() : [500, 2000];
        var directory = Path.Combine(Path.GetTempPath(), $"trialflow-bench-edc-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            // Warm-up large enough for tiered JIT to reach the optimized code of both writers.
            for (var i = 0; i < 3; i++)
                await RunOnceAsync(directory, "warm", 500, streaming: true, probe: false);
            await RunOnceAsync(directory, "warm", 500, streaming: false, probe: false);
            Console.WriteLine($"edc benchmark: SDTM export to three CSV files on local disk, 6 timepoints × 2 readers per subject, {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Console.WriteLine("| subjects | rows TU/TR/RS | TrialFlow (streaming) | peak live heap | naive (materializing) | peak live heap | time ratio | same bytes |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var subjects in sizes)
            {
                var ours = await BestOfAsync(() => RunOnceAsync(directory, "ours", subjects, streaming: true, probe: false));
                var naive = await BestOfAsync(() => RunOnceAsync(directory, "naive", subjects, streaming: false, probe: false));
                var oursPeak = await RunOnceAsync(directory, "ours", subjects, streaming: true, probe: true);
                var naivePeak = await RunOnceAsync(directory, "naive", subjects, streaming: false, probe: true);
                var same = Hash(directory, "ours") == Hash(directory, "naive");
                Console.WriteLine($"| {subjects:N0} | {ours.Counts.TuRows:N0} / {ours.Counts.TrRows:N0} / {ours.Counts.RsRows:N0} | {ours.Elapsed.TotalMilliseconds:N0} ms | {Mb(oursPeak.PeakHeap)} | " +
                    $"{naive.Elapsed.TotalMilliseconds:N0} ms | {Mb(naivePeak.PeakHeap)} | {ours.Elapsed.TotalMilliseconds / naive.Elapsed.TotalMilliseconds:F2} | {(same ? "yes" : "NO")} |");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record Run(TimeSpan Elapsed, long PeakHeap, SdtmCounts Counts);

    private static async Task<Run> BestOfAsync(Func<Task<Run>> run)
    {
        Run? best = null;
        for (var i = 0; i < 3; i++)
        {
            var r = await run();
            if (best is null || r.Elapsed < best.Elapsed)
                best = r;
        }
        return best!;
    }

    private static async Task<Run> RunOnceAsync(string directory, string name, int subjects, bool streaming, bool probe)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        void Probe() => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
        Action<int>? perSubject = probe ? s => { if (s % 50 == 0) Probe(); } : null;

        var stopwatch = Stopwatch.StartNew();
        await using var tu = Writer(directory, name, "tu");
        await using var tr = Writer(directory, name, "tr");
        await using var rs = Writer(directory, name, "rs");
        SdtmCounts counts;
        if (streaming)
            counts = await SdtmWriter.WriteAsync("TF-BENCH-01", GeneratedResults.SubjectsAsync(subjects, perSubject), tu, tr, rs, CancellationToken.None);
        else
        {
            await NaiveSdtmWriter.WriteAsync("TF-BENCH-01", GeneratedResults.SubjectsAsync(subjects, perSubject), tu, tr, rs, probe ? Probe : null);
            counts = new SdtmCounts(subjects, 0, 0, 0);
        }
        stopwatch.Stop();
        return new Run(stopwatch.Elapsed, peak, counts);
    }

    private static StreamWriter Writer(string directory, string name, string domain) =>
        new(Path.Combine(directory, $"{name}-{domain}.csv"), append: false, new UTF8Encoding(false), bufferSize: 64 * 1024);

    private static string Hash(string directory, string name) =>
        string.Join(",", new[] { "tu", "tr", "rs" }.Select(d => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, $"{name}-{d}.csv"))))));

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F1} MB";
}
