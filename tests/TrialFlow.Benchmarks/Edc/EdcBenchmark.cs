namespace TrialFlow.Benchmarks.Edc;

/// <summary>
/// SDTM TU/TR/RS export of a generated trial (N subjects × 6 timepoints × 2 readers, adjudications) into three CSV
/// files: the streaming writer against a naive writer that materializes every subject and every row first. Time is
/// the best of three runs; peak live heap is measured in separate runs that force a full collection every 50
/// subjects (and once with all rows built, for the peer), so garbage not yet collected does not count. Both outputs
/// are compared byte for byte.
/// </summary>
public sealed class EdcBenchmark() : Benchmark("edc", "SDTM TU/TR/RS CSV export, 500 and 2000 subjects × 6 timepoints × 2 readers: time and peak live heap vs a materializing writer")
{
    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
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
            MarkdownTable.Header("subjects", "rows TU/TR/RS", "TrialFlow (streaming)", "peak live heap", "naive (materializing)", "peak live heap", "time ratio", "same bytes");
            foreach (var subjects in sizes)
            {
                var ours = await SdtmRun.BestOfThreeAsync(() => RunOnceAsync(directory, "ours", subjects, streaming: true, probe: false));
                var naive = await SdtmRun.BestOfThreeAsync(() => RunOnceAsync(directory, "naive", subjects, streaming: false, probe: false));
                var oursPeak = await RunOnceAsync(directory, "ours", subjects, streaming: true, probe: true);
                var naivePeak = await RunOnceAsync(directory, "naive", subjects, streaming: false, probe: true);
                Console.WriteLine(SdtmRun.Row(subjects, ours, oursPeak, naive, naivePeak, SdtmRun.SameFiles(directory, "ours", "naive")));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Task<SdtmRun> RunOnceAsync(string directory, string name, int subjects, bool streaming, bool probe) =>
        SdtmRun.MeasureAsync(directory, name, async (tu, tr, rs, heap) =>
        {
            Action<int>? perSubject = probe ? s => { if (s % 50 == 0) heap(); } : null;
            if (streaming)
                return await SdtmWriter.WriteAsync("TF-BENCH-01", GeneratedResults.SubjectsAsync(subjects, perSubject), tu, tr, rs, CancellationToken.None);
            await NaiveSdtmWriter.WriteAsync("TF-BENCH-01", GeneratedResults.SubjectsAsync(subjects, perSubject), tu, tr, rs, probe ? heap : null);
            return new SdtmCounts(subjects, 0, 0, 0);
        });
}
