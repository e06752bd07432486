namespace TrialFlow.Benchmarks;

/// <summary>The benchmarks print their results as Markdown tables, to paste into the issue or the docs as they are.</summary>
internal static class MarkdownTable
{
    /// <summary>Prints the header row and the separator row, which must have as many cells as the header.</summary>
    public static void Header(params string[] columns)
    {
        Console.WriteLine($"| {string.Join(" | ", columns)} |");
        Console.WriteLine($"|{string.Concat(columns.Select(_ => "---|"))}");
    }
}
