using System.Net.Http.Headers;
using TrialFlow.Web.Tests.Support;
using TrialFlow.Web.Viewer;

namespace TrialFlow.Benchmarks.Viewer;

/// <summary>
/// Time to first image: a data manager opens a 300-slice CT series from the archive in chromium, measured from
/// navigation start to the first frame drawn on the canvas (the viewer's <c>tf-first-image</c> performance mark), so it
/// covers the page, the Blazor circuit, the manifest and the first frame. The peer is dcmtk's dcm2pnm rendering that
/// same slice from the archive file to PNG: what a server-rendered frame costs before any HTTP or browser work.
/// </summary>
public sealed class ViewerBenchmark() : Benchmark("viewer", "Viewer: time to first image of a 300-slice CT series in chromium, vs dcmtk dcm2pnm rendering that slice")
{
    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var slices = BenchmarkArgs.Int(args, 0, 300);
        var runs = BenchmarkArgs.Int(args, 1, 20);
        // `dotnet run` starts in the repository, where the test factory's own lookup guesses the content root wrong.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_TRIALFLOW_WEB", Repository.Path("src", "TrialFlow.Web"));
        var host = new TrialFlowApp();
        await host.InitializeAsync();
        try
        {
            await MeasureAsync(host, slices, runs, cancellationToken);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task MeasureAsync(TrialFlowApp host, int slices, int runs, CancellationToken cancellationToken)
    {
        var archiving = Stopwatch.StartNew();
        var studyId = await ArchiveSeriesAsync(host, slices, cancellationToken);
        Console.WriteLine($"archived {slices} slices through STOW-RS and intake in {archiving.Elapsed.TotalSeconds:0.0} s");

        var path = $"/studies/{studyId}/images";
        var url = new Uri(host.BaseAddress, path).ToString();
        await using var browser = await Browsers.ChromiumAsync();
        var page = await browser.NewPageAsync();
        await Browsers.SignInAsync(page, host, "t-datamanager", path);

        var firstImage = new List<double>();
        var manifestInPage = new List<double>();
        var frameFetch = new List<double>();
        string? firstFrameUrl = null;
        for (var run = 0; run <= runs; run++)
        {
            if (run > 0)
                await page.GotoAsync(url);
            await page.WaitForSelectorAsync("#viewport-0[data-drawn]");
            var timing = await page.EvaluateAsync<PageTiming>("""
                () => {
                  const first = performance.getEntriesByName('tf-first-image-viewport-0')[0].startTime;
                  const frame = performance.getEntriesByType('resource').find(r => r.name.includes('/frames/'));
                  return { first, frameStart: frame.startTime, frameEnd: frame.responseEnd, frameUrl: frame.name };
                }
                """);
            firstFrameUrl = timing.FrameUrl;
            if (run == 0)
            {
                Console.WriteLine($"cold first run (JIT, first circuit): {timing.First:0} ms");
                continue;
            }
            firstImage.Add(timing.First);
            manifestInPage.Add(timing.FrameStart); // the frame is requested as soon as the manifest reaches the page
            frameFetch.Add(timing.FrameEnd - timing.FrameStart);
        }

        var manifest = await ManifestAsync(host, studyId, runs, cancellationToken);
        var peer = await Dcm2PnmAsync(host, firstFrameUrl!, runs, cancellationToken);
        Console.WriteLine();
        Console.WriteLine($"{slices}-slice CT series, {runs} warm page loads (machine load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        MarkdownTable.Header("measurement", "p50", "p95");
        Row("TrialFlow: navigation → first image drawn", firstImage);
        Row("  of which: navigation → first frame requested (page, circuit, manifest)", manifestInPage);
        Row("manifest built on the server, alone (header reads of every slice)", manifest);
        Row("  of which: first frame fetched (WADO-RS, 512×512×16 bit)", frameFetch);
        Row("peer: dcm2pnm renders the first slice to PNG (process)", peer);
        Console.WriteLine($"ratio TrialFlow / peer (p50): {Percentile(firstImage, 50) / Percentile(peer, 50):0.00}");
    }

    /// <summary>Sends one venous series of <paramref name="slices"/> images by STOW-RS and waits for intake to archive them all.</summary>
    private static async Task<Guid> ArchiveSeriesAsync(TrialFlowApp host, int slices, CancellationToken cancellationToken)
    {
        using var client = await host.ClientAsync("t-siteuser");
        var study = new CtStudy($"1.2.826.0.1.3680043.6.{Random.Shared.Next(1, int.MaxValue)}") { VenousImages = slices };
        foreach (var batch in study.Files().Skip(1).Chunk(50)) // the venous series only: the localizer would be shown first
        {
            using var body = new MultipartContent("related", "B-" + Guid.NewGuid().ToString("N"));
            foreach (var file in batch)
                body.Add(new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") } });
            (await client.PostAsync("/dicomweb/studies", body, cancellationToken)).EnsureSuccessStatusCode();
        }
        for (var attempt = 0; attempt < 1_200; attempt++)
        {
            var id = await host.QueryAsync(db => db.Studies.AsNoTracking().Where(s => s.NumberOfInstances == slices).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(cancellationToken));
            if (id is { } found)
                return found;
            await Task.Delay(250, cancellationToken);
        }
        throw new TimeoutException($"intake did not archive the {slices} images within 5 minutes");
    }

    private static async Task<List<double>> ManifestAsync(TrialFlowApp host, Guid studyId, int runs, CancellationToken cancellationToken)
    {
        var builder = host.Services.GetRequiredService<ViewerManifestBuilder>();
        var times = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var watch = Stopwatch.StartNew();
            var study = await host.QueryAsync(db => builder.BuildAsync(db, studyId, "bench", (_, _, i, f) => $"{i.SopInstanceUid}/{f}", cancellationToken));
            if (study is null || study.Series[0].Frames.Count == 0)
                throw new InvalidOperationException("the manifest has no frames");
            if (run > 0)
                times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static async Task<List<double>> Dcm2PnmAsync(TrialFlowApp host, string frameUrl, int runs, CancellationToken cancellationToken)
    {
        // .../instances/{sop}/frames/1: the archived file of the slice the viewer showed first
        var segments = new Uri(frameUrl).AbsolutePath.Split('/');
        var sop = segments[Array.IndexOf(segments, "instances") + 1];
        var hash = await host.QueryAsync(db => db.Instances.Where(i => i.SopInstanceUid == sop).Select(i => i.ArchiveSha256).SingleAsync(cancellationToken));
        var path = host.Services.GetRequiredService<IntakeStores>().Archive.PathOf(hash);
        var output = Path.Combine(Path.GetTempPath(), $"tf-viewer-peer-{Guid.NewGuid():N}.png");
        var times = new List<double>();
        try
        {
            for (var run = 0; run <= runs; run++)
            {
                var watch = Stopwatch.StartNew();
                using var process = Process.Start(new ProcessStartInfo("dcm2pnm", ["+on", path, output]) { RedirectStandardError = true })!;
                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode != 0)
                    throw new InvalidOperationException($"dcm2pnm failed on {path}: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
                if (run > 0)
                    times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            File.Delete(output);
        }
        return times;
    }

    private static void Row(string name, List<double> values) =>
        Console.WriteLine($"| {name} | {Percentile(values, 50):0} ms | {Percentile(values, 95):0} ms |");

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private sealed class PageTiming
    {
        public double First { get; set; }

        public double FrameStart { get; set; }

        public double FrameEnd { get; set; }

        public string FrameUrl { get; set; } = "";
    }
}
