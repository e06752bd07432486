namespace TrialFlow.Qc.Tests.Rules;

public sealed class LineDiffTests
{
    [Fact]
    public void A_changed_line_is_one_removal_and_one_addition_with_both_line_numbers()
    {
        var diff = LineDiff.Compute("a\nseverity: info\nc\n", "a\nseverity: minor\nc\nd\n");

        Assert.Equal(
        [
            new DiffLine(DiffKind.Same, 1, 1, "a"),
            new DiffLine(DiffKind.Removed, 2, null, "severity: info"),
            new DiffLine(DiffKind.Added, null, 2, "severity: minor"),
            new DiffLine(DiffKind.Same, 3, 3, "c"),
            new DiffLine(DiffKind.Added, null, 4, "d"),
        ], diff);
    }

    [Fact]
    public void Identical_texts_differ_nowhere_whatever_their_line_endings()
    {
        Assert.All(LineDiff.Compute("x\r\ny\r\n", "x\ny"), l => Assert.Equal(DiffKind.Same, l.Kind));
    }
}
