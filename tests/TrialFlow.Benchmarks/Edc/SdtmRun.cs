namespace TrialFlow.Benchmarks.Edc;

/// <summary>
/// One timed SDTM export into three CSV files, with the peak live heap above what was live when it started: the
/// measurement the <c>edc</c> and <c>edc-db</c> benchmarks share, and the table row they print.
/// </summary>
internal sealed record SdtmRun(TimeSpan Elapsed, long PeakHeap, SdtmCounts Counts)
{
    /// <summary>
    /// Times <paramref name="export"/>, which writes the TU, TR and RS files and may call the heap probe it is given
    /// (a full collection each time, so only runs that report memory should call it).
    /// </summary>
    public static async Task<SdtmRun> MeasureAsync(string directory, string name, Func<TextWriter, TextWriter, TextWriter, Action, Task<SdtmCounts>> export)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        void Probe() => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);

        var stopwatch = Stopwatch.StartNew();
        SdtmCounts counts;
        await using (var tu = Writer(directory, name, "tu"))
        await using (var tr = Writer(directory, name, "tr"))
        await using (var rs = Writer(directory, name, "rs"))
            counts = await export(tu, tr, rs, Probe);
        stopwatch.Stop();
        return new SdtmRun(stopwatch.Elapsed, peak, counts);
    }

    /// <summary>The fastest of three runs: the figure least disturbed by the rest of the machine.</summary>
    public static async Task<SdtmRun> BestOfThreeAsync(Func<Task<SdtmRun>> run)
    {
        SdtmRun? best = null;
        for (var i = 0; i < 3; i++)
        {
            var r = await run();
            if (best is null || r.Elapsed < best.Elapsed)
                best = r;
        }
        return best!;
    }

    /// <summary>Whether two runs wrote byte-identical files.</summary>
    public static bool SameFiles(string directory, string a, string b) => Hash(directory, a) == Hash(directory, b);

    /// <summary>A markdown row: subjects, rows, our time and heap, the peer's, the time ratio and whether the bytes agree.</summary>
    public static string Row(int subjects, SdtmRun ours, SdtmRun oursPeak, SdtmRun peer, SdtmRun peerPeak, bool same) =>
        $"| {subjects:N0} | {ours.Counts.TuRows:N0} / {ours.Counts.TrRows:N0} / {ours.Counts.RsRows:N0} | {ours.Elapsed.TotalMilliseconds:N0} ms | {Mb(oursPeak.PeakHeap)} | " +
        $"{peer.Elapsed.TotalMilliseconds:N0} ms | {Mb(peerPeak.PeakHeap)} | {ours.Elapsed.TotalMilliseconds / peer.Elapsed.TotalMilliseconds:F2} | {(same ? "yes" : "NO")} |";

    private static StreamWriter Writer(string directory, string name, string domain) =>
        new(Path.Combine(directory, $"{name}-{domain}.csv"), append: false, new UTF8Encoding(false), bufferSize: 64 * 1024);

    private static string Hash(string directory, string name) =>
        string.Join(",", new[] { "tu", "tr", "rs" }.Select(d => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, $"{name}-{d}.csv"))))));

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F1} MB";
}
