using TrialFlow.Qc.Evaluation;
using TrialFlow.Qc.Rules;

namespace TrialFlow.Benchmarks.Qc;

/// <summary>
/// QC rules: compile time of a 50-rule ruleset (YAML → NRules rule model → Rete network), and evaluation throughput
/// in series/s with one NRules session per study. There is no external peer; the baseline is the same rules written
/// by hand in C# (<see cref="HandWrittenQc"/>) over the same facts, which must produce the same findings.
/// </summary>
public sealed class QcBenchmark() : Benchmark("qc", "QC: 50-rule ruleset compile time; series/s in per-study NRules sessions vs the same rules hand-written in C#")
{
    public override Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var totalSeries = BenchmarkArgs.Int(args, 0, 10_000);
        const int seriesPerStudy = 20;
        var yaml = QcWorkload.Ruleset();

        var cold = Measure(() => RulesetCompiler.Compile("bench-50.yaml", yaml));
        var ruleset = RulesetCompiler.Compile("bench-50.yaml", yaml);
        var compiles = Enumerable.Range(0, 10).Select(_ => Measure(() => RulesetCompiler.Compile("bench-50.yaml", yaml))).ToList();

        var studies = QcWorkload.Studies(totalSeries / seriesPerStudy, seriesPerStudy);
        var series = studies.Sum(s => s.Series.Count);
        // Both sides must agree before either is timed.
        var engineFindings = studies.Sum(s => QcEvaluator.Evaluate(ruleset, s).Findings.Count);
        var handFindings = studies.Sum(s => HandWrittenQc.Evaluate(s).Count);
        if (engineFindings != handFindings)
            throw new InvalidOperationException($"NRules found {engineFindings} findings, the hand-written rules {handFindings}: the baseline is not the same rules.");

        var engine = Best(3, () =>
        {
            foreach (var study in studies)
                QcEvaluator.Evaluate(ruleset, study);
        });
        var hand = Best(3, () =>
        {
            foreach (var study in studies)
                HandWrittenQc.Evaluate(study);
        });

        var engineRate = series / engine.Wall.TotalSeconds;
        var handRate = series / hand.Wall.TotalSeconds;
        var engineCpuRate = series / engine.Cpu.TotalSeconds;
        var handCpuRate = series / hand.Cpu.TotalSeconds;
        Console.WriteLine($"qc benchmark: {ruleset.Rules.Count} rules; {studies.Count} studies × {seriesPerStudy} series = {series:N0} series, one session per study; {engineFindings:N0} findings (both sides); load average {LoadAverage()}");
        Console.WriteLine("(wall = elapsed time; CPU = this process's processor time, which a loaded machine inflates less)");
        Console.WriteLine();
        MarkdownTable.Header("measurement", "TrialFlow (NRules from YAML)", "baseline", "baseline figure", "ratio (TrialFlow / baseline)");
        Console.WriteLine($"| compile 50 rules, first (cold, includes JIT): wall / CPU | {cold.Wall.TotalMilliseconds:N0} ms / {cold.Cpu.TotalMilliseconds:N0} ms | — | — | — |");
        Console.WriteLine($"| compile 50 rules, warm (median of 10): wall / CPU | {Median(compiles.Select(c => c.Wall.TotalMilliseconds)):N0} ms / {Median(compiles.Select(c => c.Cpu.TotalMilliseconds)):N0} ms | — | — | — |");
        Console.WriteLine($"| evaluate, series/s (best of 3), wall | {engineRate:N0} series/s | the same 50 rules hand-written in C# | {handRate:N0} series/s | {engineRate / handRate:F2} |");
        Console.WriteLine($"| evaluate, series/s (best of 3), CPU | {engineCpuRate:N0} series/s | the same, CPU | {handCpuRate:N0} series/s | {engineCpuRate / handCpuRate:F2} |");
        Console.WriteLine($"| evaluate, one study of {seriesPerStudy} series, CPU | {engine.Cpu.TotalMilliseconds * 1000 / studies.Count:N0} µs | | {hand.Cpu.TotalMilliseconds * 1000 / studies.Count:N0} µs | |");
        return Task.CompletedTask;
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Best(int runs, Action action)
    {
        action(); // warm-up
        var best = (Wall: TimeSpan.MaxValue, Cpu: TimeSpan.MaxValue);
        for (var i = 0; i < runs; i++)
        {
            var run = Measure(action);
            best = (run.Wall < best.Wall ? run.Wall : best.Wall, run.Cpu < best.Cpu ? run.Cpu : best.Cpu);
        }
        return best;
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Measure(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        watch.Stop();
        process.Refresh();
        return (watch.Elapsed, process.TotalProcessorTime - cpu);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
