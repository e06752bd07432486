using TrialFlow.Qc;
using TrialFlow.Web.Qc;

namespace TrialFlow.Web.Tests.Components;

public sealed class RulesetErrorsTests
{
    private const string Draft = "ruleset: trial-default\nrules:\n  - id: QC-KVP\n    severity: major\n    match:\n      - { field: s.Kv, op: outside }\n";

    // One context per test, disposed asynchronously: MudBlazor's services reject the synchronous Dispose.
    private static (BunitContext Context, IRenderedComponent<RulesetErrors> Rendered) Render(IReadOnlyList<QcFileError>? errors, int rules = 0)
    {
        var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var rendered = ctx.Render<RulesetErrors>(p => p.Add(c => c.Errors, errors).Add(c => c.Draft, Draft).Add(c => c.RuleCount, rules));
        return (ctx, rendered);
    }

    [Fact]
    public async Task Each_problem_shows_its_line_rule_and_reason_and_quotes_the_line()
    {
        var (ctx, rendered) = Render([new("draft", 6, "QC-KVP", "unknown field 'Kv' of Series"), new("draft", 4, "QC-KVP", "severity must be info, minor, major or critical")]);
        await using var _ = ctx;

        var items = rendered.FindAll("#ruleset-errors [data-line]");
        Assert.Equal(["6", "4"], items.Select(i => i.GetAttribute("data-line")));
        Assert.All(items, i => Assert.Equal("QC-KVP", i.GetAttribute("data-rule")));
        Assert.Contains("Line 6 · rule QC-KVP · unknown field 'Kv' of Series", items[0].TextContent);
        Assert.Contains("{ field: s.Kv, op: outside }", items[0].QuerySelector("pre.qc-error-line")!.TextContent);
        Assert.Contains("2 problems", rendered.Find("#ruleset-invalid").TextContent);
        Assert.Equal("list", rendered.Find("#ruleset-errors").GetAttribute("role"));
    }

    [Fact]
    public async Task A_draft_that_compiles_says_so_with_its_rule_count()
    {
        var (ctx, rendered) = Render([], rules: 14);
        await using var _ = ctx;

        Assert.Contains("The draft compiles: 14 rules.", rendered.Find("#ruleset-valid").TextContent);
        Assert.Empty(rendered.FindAll("#ruleset-errors"));
    }

    [Fact]
    public async Task Nothing_shows_before_the_draft_was_validated()
    {
        var (ctx, rendered) = Render(null);
        await using var _ = ctx;

        Assert.Equal("", rendered.Markup.Trim());
    }

    [Fact]
    public async Task A_whole_file_problem_quotes_no_line()
    {
        var (ctx, rendered) = Render([new("draft", 0, null, "the ruleset has no rules")]);
        await using var _ = ctx;

        var item = rendered.Find("#ruleset-errors [data-line]");
        Assert.Contains("Line 0 · the ruleset has no rules", item.TextContent);
        Assert.Null(item.QuerySelector("pre"));
    }
}
