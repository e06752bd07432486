using PdfSharp.Drawing;
using PdfSharp.Pdf;
using TrialFlow.Reports;
using TrialFlow.Reports.Dossier;
using TrialFlow.Reports.History;

namespace TrialFlow.Benchmarks.Dossier;

/// <summary>
/// Dossier generation for one subject with a long history (see <see cref="DossierBenchmarkSubject"/>): reading the
/// records and building the history, then rendering the PDF, timed separately; size and pages. No other tool makes
/// this dossier, so the peer is a floor: the same history's text written with PDFsharp line by line, without wrapping,
/// tables, contents or footers (what the layout costs on top of PDFsharp itself).
/// </summary>
public sealed class DossierBenchmark() : Benchmark("dossier", "subject dossier: history build + PDF render (ms, bytes) for 10 visits × 5 series, 2,000 audit events vs PDFsharp plain-text floor")
{
    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var runs = BenchmarkArgs.Int(args, 0, 5);
        using var folder = new BenchmarkFolder("dossier");
        var database = folder.Database;
        await using var services = new ServiceCollection().AddSingleton(database).AddSingleton<WorkflowStore>().AddTrialFlowReports().BuildServiceProvider();
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, Actor.System("bench")))
            await db.MigrateAsync(cancellationToken);
        var store = services.GetRequiredService<WorkflowStore>();
        await store.MigrateAsync(cancellationToken);
        var shape = new DossierBenchmarkSubject();
        var setup = Stopwatch.StartNew();
        var subjectId = await shape.WriteAsync(database, store);
        setup.Stop();

        var builder = services.GetRequiredService<SubjectHistoryBuilder>();
        var inspector = new Actor("u-insp", "Ines Inspector", "Inspector", SiteScope.Unrestricted);
        var cutOff = DateTime.UtcNow;
        var build = new List<double>();
        var render = new List<double>();
        var floor = new List<double>();
        byte[] pdf = [], plain = [];
        SubjectHistory history = null!;
        for (var run = 0; run <= runs; run++) // run 0 warms up JIT, fonts and SQLite's page cache
        {
            await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, inspector);
            var clock = Stopwatch.StartNew();
            history = (await builder.BuildAsync(db, subjectId, cutOff, cancellationToken))!;
            var built = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            pdf = DossierRenderer.Render(history, new DossierStamp(inspector.UserName, inspector.Role));
            var rendered = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            plain = PlainText(history);
            var floored = clock.Elapsed.TotalMilliseconds;
            if (run == 0)
                continue;
            build.Add(built);
            render.Add(rendered);
            floor.Add(floored);
        }

        var pages = PageCount(pdf);
        var rows = history.Sections.SelectMany(s => s.Blocks).OfType<HistoryTable>().Sum(t => t.Rows.Count);
        Console.WriteLine($"dossier benchmark: SQLite, {shape.Visits} visits × {shape.SeriesPerStudy} series × {shape.InstancesPerSeries} instances, {history.CoveredEventCount:N0} audit events of the subject " +
            $"({history.Chain.EventsChecked:N0} in the chain), {rows:N0} table rows; queries: none (issue 8 not landed; the generator's Queries = {shape.Queries} is ready); " +
            $"setup {setup.Elapsed.TotalSeconds:F1} s; median of {runs} warm runs");
        Console.WriteLine();
        MarkdownTable.Header("measurement", "TrialFlow", "peer (PDFsharp, same text line by line, no layout)", "ratio");
        Console.WriteLine($"| history build (read records, verify chain to cut-off) | {Median(build):F0} ms | — | — |");
        Console.WriteLine($"| PDF render | {Median(render):F0} ms | {Median(floor):F0} ms | {Median(render) / Median(floor):F2} |");
        Console.WriteLine($"| total generation | {Median(build) + Median(render):F0} ms | — | — |");
        Console.WriteLine($"| size | {pdf.Length / 1024.0:N0} KiB, {pages} pages | {plain.Length / 1024.0:N0} KiB, {PageCount(plain)} pages | {(double)pdf.Length / plain.Length:F2} |");
    }

    /// <summary>The floor: every string of the history drawn one per line, no wrapping (long lines run off the page), same fonts.</summary>
    private static byte[] PlainText(SubjectHistory history)
    {
        var lines = new List<string>();
        foreach (var section in history.Sections)
        {
            lines.Add(section.Title);
            foreach (var block in section.Blocks)
                switch (block)
                {
                    case HistoryHeading h: lines.Add(h.Text); break;
                    case HistoryNote n: lines.Add(n.Text); break;
                    case HistoryFacts f: lines.AddRange(f.Facts.Select(x => $"{x.Label}: {x.Value}")); break;
                    case HistoryTable t: lines.AddRange(t.Rows.SelectMany(r => string.Join(" | ", r).Split('\n'))); break;
                }
        }
        using var document = new PdfDocument();
        var font = new XFont("DejaVu Sans", 8.5, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
        XGraphics? gfx = null;
        double y = 1000;
        foreach (var line in lines)
        {
            if (y > 780)
            {
                gfx?.Dispose();
                gfx = XGraphics.FromPdfPage(document.AddPage());
                y = 50;
            }
            gfx!.DrawString(line, font, XBrushes.Black, 48, y, XStringFormats.TopLeft);
            y += 10.5;
        }
        gfx?.Dispose();
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static int PageCount(byte[] pdf) => System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]").Count;

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
