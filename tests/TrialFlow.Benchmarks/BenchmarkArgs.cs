namespace TrialFlow.Benchmarks;

/// <summary>The benchmarks' positional arguments: sizes and counts, each with the default the published figures use.</summary>
internal static class BenchmarkArgs
{
    /// <summary>
    /// The whole number at <paramref name="index"/>, or <paramref name="fallback"/> when it is not given or is "-"
    /// (a placeholder, so that a later argument can be given while this one keeps its default).
    /// </summary>
    public static int Int(IReadOnlyList<string> args, int index, int fallback) =>
        args.Count > index && args[index] != "-" ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
}
