namespace TrialFlow.Qc.Rules;

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>One line of a diff, with its line number in the old and/or new text.</summary>
public sealed record DiffLine(DiffKind Kind, int? OldLine, int? NewLine, string Text);

/// <summary>A line diff between two ruleset versions (longest common subsequence; rulesets are a few hundred lines).</summary>
public static class LineDiff
{
    public static IReadOnlyList<DiffLine> Compute(string oldText, string newText)
    {
        var a = Lines(oldText);
        var b = Lines(newText);
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var diff = new List<DiffLine>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                diff.Add(new DiffLine(DiffKind.Same, x + 1, y + 1, a[x]));
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                // Removals first: a changed line reads as the old line, then the new one.
                diff.Add(new DiffLine(DiffKind.Removed, x + 1, null, a[x]));
                x++;
            }
            else
            {
                diff.Add(new DiffLine(DiffKind.Added, null, y + 1, b[y]));
                y++;
            }
        }
        return diff;
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}
