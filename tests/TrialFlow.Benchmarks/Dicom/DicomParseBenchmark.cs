using System.Text.Json;
using TrialFlow.Dicom.IO.Reading;

namespace TrialFlow.Benchmarks.Dicom;

/// <summary>
/// Parses the pydicom corpus and 2,000 generated 512x512 CT files, header-only and full, with TrialFlow and with pydicom
/// <c>dcmread</c> (one python process, timed inside python) over the same files in the same run.
/// Options: <c>--ct N</c> (default 2000), <c>--passes N</c> (default 3, best pass reported). The corpus is read 20 times per pass.
/// </summary>
public sealed class DicomParseBenchmark() : Benchmark("dicom-parse", "parse pydicom corpus + 2,000 CT files (header-only/full) vs pydicom dcmread")
{
    private const string Python = "/usr/bin/python3";
    private const string CorpusRoot = "/usr/lib/python3/dist-packages/pydicom/data";

    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var ctCount = Option(args, "--ct", 2000);
        var passes = Option(args, "--passes", 3);
        var corpus = CorpusFiles();
        var dir = Path.Combine(Path.GetTempPath(), $"trialflow-bench-{Guid.NewGuid():N}");
        Console.WriteLine($"generating {ctCount} CT files in {dir} ...");
        var ct = CtSeriesGenerator.Write(dir, ctCount);
        try
        {
            // the corpus is small (~1 MB): each pass reads it 20 times so that timings are not noise
            var corpusRepeated = Enumerable.Repeat(corpus, 20).SelectMany(f => f).ToList();
            var sets = new (string Name, IReadOnlyList<string> Files)[] { ($"pydicom corpus ({corpus.Count} files) x20", corpusRepeated), ($"{ctCount} CT 512x512", ct) };
            var rows = new List<string[]>();
            foreach (var (setName, files) in sets)
            {
                var bytes = files.Sum(f => new FileInfo(f).Length);
                foreach (var f in files.Distinct()) File.ReadAllBytes(f); // page cache warm for both parsers
                foreach (var (mode, options, touchPixels) in new[]
                         {
                             ("header-only", DicomReadOptions.HeaderOnlyOptions, false),
                             ("full (pixels deferred)", DicomReadOptions.Default, false),
                             ("full + pixel bytes read", DicomReadOptions.Default, true),
                         })
                {
                    var (seconds, allocated) = MeasureOurs(files, options, touchPixels, passes, cancellationToken);
                    var peer = await MeasurePydicomAsync(files, headerOnly: mode == "header-only", touchPixels, passes, cancellationToken);
                    var mb = bytes / 1e6;
                    rows.Add([setName, mode, files.Count.ToString(CultureInfo.InvariantCulture), mb.ToString("F1", CultureInfo.InvariantCulture),
                        (files.Count / seconds).ToString("F0", CultureInfo.InvariantCulture), (mb / seconds).ToString("F0", CultureInfo.InvariantCulture),
                        (files.Count / peer).ToString("F0", CultureInfo.InvariantCulture), (mb / peer).ToString("F1", CultureInfo.InvariantCulture),
                        (peer / seconds).ToString("F1", CultureInfo.InvariantCulture) + "x",
                        (allocated / files.Count).ToString("N0", CultureInfo.InvariantCulture)]);
                }
            }
            PrintTable(["set", "mode", "files", "MB", "TrialFlow files/s", "TrialFlow MB/s", "pydicom files/s", "pydicom MB/s", "ratio", "alloc B/file"], rows);
            Console.WriteLine($"(best of {passes} passes each; MB = file bytes on disk; pydicom {PydicomVersion()} timed inside python; files in page cache)");
        }
        finally
        {
            // STACK-NOTES: a large rm -rf slows ext4 file creation for minutes; the next run uses a fresh directory anyway
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (double Seconds, long Allocated) MeasureOurs(IReadOnlyList<string> files, DicomReadOptions options, bool touchPixels, int passes, CancellationToken ct)
    {
        var best = double.MaxValue;
        long allocated = 0;
        var pixelBuffer = Array.Empty<byte>();
        for (var pass = 0; pass <= passes; pass++) // pass 0 warms the JIT
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            foreach (var f in files)
            {
                var file = DicomFileReader.Read(f, options, ct);
                if (touchPixels) ReadPixelBytes(file.Dataset, ref pixelBuffer);
            }
            sw.Stop();
            if (pass == 0) continue;
            if (sw.Elapsed.TotalSeconds < best)
            {
                best = sw.Elapsed.TotalSeconds;
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        return (best, allocated);
    }

    // Pixel data goes through one reused buffer, as a pipeline that hashes or forwards it would do.
    private static void ReadPixelBytes(DicomDataset ds, ref byte[] buffer)
    {
        switch (ds[DicomTags.PixelData])
        {
            case DicomElement px:
                if (buffer.Length < px.Length) buffer = new byte[px.Length];
                px.Buffer.CopyTo(0, buffer.AsSpan(0, (int)px.Length));
                break;
            case DicomFragmentSequence fragments:
                foreach (var f in fragments.Fragments)
                {
                    if (buffer.Length < f.Length) buffer = new byte[f.Length];
                    f.CopyTo(0, buffer.AsSpan(0, (int)f.Length));
                }
                break;
        }
    }

    private const string PythonScript = """
        import sys, time, pydicom
        files = [l.rstrip("\n") for l in open(sys.argv[1]) if l.strip()]
        header_only = sys.argv[2] == "1"; touch = sys.argv[3] == "1"; passes = int(sys.argv[4])
        best = None
        for p in range(passes + 1):
            t = time.perf_counter()
            for f in files:
                ds = pydicom.dcmread(f, stop_before_pixels=header_only, force=True)
                if touch and "PixelData" in ds: ds.PixelData
            e = time.perf_counter() - t
            if p > 0 and (best is None or e < best): best = e
        print(best)
        """;

    private static async Task<double> MeasurePydicomAsync(IReadOnlyList<string> files, bool headerOnly, bool touch, int passes, CancellationToken ct)
    {
        var script = Path.GetTempFileName();
        var list = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(script, string.Join('\n', PythonScript.Split('\n').Select(l => l.TrimEnd())), ct);
            await File.WriteAllLinesAsync(list, files, ct);
            var psi = new ProcessStartInfo(Python, [script, list, headerOnly ? "1" : "0", touch ? "1" : "0", passes.ToString(CultureInfo.InvariantCulture)])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{Python} did not start");
            var output = await p.StandardOutput.ReadToEndAsync(ct);
            var error = await p.StandardError.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            if (p.ExitCode != 0) throw new InvalidOperationException("pydicom benchmark failed: " + error);
            return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(script);
            File.Delete(list);
        }
    }

    private static IReadOnlyList<string> CorpusFiles()
    {
        if (!Directory.Exists(CorpusRoot)) throw new InvalidOperationException($"pydicom corpus missing at {CorpusRoot} (apt-get install python3-pydicom)");
        var all = Directory.EnumerateFiles(Path.Combine(CorpusRoot, "test_files"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(CorpusRoot, "charset_files")))
            .Order(StringComparer.Ordinal);
        // only files both parsers read: TrialFlow rejects non-DICOM and truncated files (see PydicomJsonOracleTests)
        return all.Where(f =>
        {
            try
            {
                DicomFileReader.Read(f);
                return true;
            }
            catch (DicomParseException)
            {
                return false;
            }
        }).ToList();
    }

    private static string PydicomVersion()
    {
        var psi = new ProcessStartInfo(Python, ["-c", "import pydicom; print(pydicom.__version__)"]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var v = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return v;
    }

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        for (var i = 0; i + 1 < args.Count; i++)
            if (args[i] == name && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v)) return v;
        return fallback;
    }

    private static void PrintTable(string[] header, List<string[]> rows)
    {
        Console.WriteLine("| " + string.Join(" | ", header) + " |");
        Console.WriteLine("|" + string.Join("|", header.Select(h => new string('-', h.Length + 2))) + "|");
        foreach (var r in rows) Console.WriteLine("| " + string.Join(" | ", r) + " |");
    }
}
