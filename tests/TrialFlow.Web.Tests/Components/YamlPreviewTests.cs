using TrialFlow.Qc;
using TrialFlow.Web.Qc;

namespace TrialFlow.Web.Tests.Components;

public sealed class YamlPreviewTests
{
    [Fact]
    public void Tokens_colour_comments_keys_strings_and_references()
    {
        var tokens = YamlHighlighter.Tokens("      - { field: s.Kvp, op: outside, min: p.KvpMin } # kV \"x\"");

        Assert.Contains(new YamlToken(YamlTokenKind.Key, "field"), tokens);
        Assert.Contains(new YamlToken(YamlTokenKind.Reference, "s.Kvp"), tokens);
        Assert.Contains(new YamlToken(YamlTokenKind.Reference, "p.KvpMin"), tokens);
        Assert.Equal(new YamlToken(YamlTokenKind.Comment, "# kV \"x\""), tokens[^1]);
        Assert.Equal("      - { field: s.Kvp, op: outside, min: p.KvpMin } # kV \"x\"", string.Concat(tokens.Select(t => t.Text)));
        Assert.Contains(new YamlToken(YamlTokenKind.String, "\"Series {s.Number}\""), YamlHighlighter.Tokens("    message: \"Series {s.Number}\""));
    }

    [Fact]
    public async Task Problem_lines_are_marked_with_their_reasons_and_every_line_is_numbered()
    {
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;

        var rendered = ctx.Render<YamlPreview>(p => p
            .Add(c => c.Draft, "ruleset: t\nrules:\n  - id: A\n    severity: fatal\n")
            .Add(c => c.Errors, [new QcFileError("draft", 4, "A", "severity must be info, minor, major or critical"), new QcFileError("draft", 0, null, "whole file")]));

        Assert.Equal(["1", "2", "3", "4", "5"], rendered.FindAll("[data-line]").Select(l => l.GetAttribute("data-line")));
        var marked = Assert.Single(rendered.FindAll(".qc-yaml-error"));
        Assert.Equal("4", marked.GetAttribute("data-line"));
        Assert.Contains("A: severity must be info, minor, major or critical", marked.QuerySelector(".qc-yaml-reason")!.TextContent);
    }
}
