namespace TrialFlow.Benchmarks;

/// <summary>
/// The part every benchmark states the same way: its name on the command line and its line in the usage text.
/// </summary>
public abstract class Benchmark(string name, string description) : IBenchmark
{
    public string Name => name;

    public string Description => description;

    public abstract Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}
