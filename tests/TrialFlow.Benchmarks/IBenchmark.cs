namespace TrialFlow.Benchmarks;

/// <summary>
/// A benchmark measures TrialFlow and, where one exists, a peer in the same run, and prints a table with the
/// ratio. Each benchmark is one class in its own folder; <see cref="Program"/> finds them by reflection.
/// </summary>
public interface IBenchmark
{
    /// <summary>Name used on the command line: <c>dotnet run -c Release --project tests/TrialFlow.Benchmarks -- NAME</c>.</summary>
    string Name { get; }

    string Description { get; }

    Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}
