using System.Reflection;
using TrialFlow.Benchmarks;

var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || benchmarks.All(b => b.Name != args[0]))
{
    Console.WriteLine("usage: dotnet run -c Release --project tests/TrialFlow.Benchmarks -- <benchmark> [options]");
    foreach (var b in benchmarks)
        Console.WriteLine($"  {b.Name,-24} {b.Description}");
    return args.Length == 0 ? 0 : 2;
}

var chosen = benchmarks.Single(b => b.Name == args[0]);
await chosen.RunAsync(args.Skip(1).ToList(), CancellationToken.None);
return 0;
