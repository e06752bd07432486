namespace TrialFlow.Qc.Tests.Rules;

public sealed class MessageAndScriptTests
{
    private static string Message(string template, SeriesFact series, SiteFact? site = null)
    {
        var result = QcRules.Run($$"""
              - id: MSG
                description: d
                severity: info
                match:
                  - fact: Site
                    as: site
                  - fact: Series
                    as: s
                message: '{{template}}'
            """, new StudyFactSet { Study = new StudyFact(), Site = site ?? new SiteFact { Number = "101" }, Series = [series] });
        return Assert.Single(result.Findings).Message;
    }

    [Fact]
    public void Placeholders_take_values_formats_and_escaped_braces()
    {
        var series = new SeriesFact { Number = 4, Description = "VENOUS", SliceThickness = 2.456, ContrastDelaySeconds = 71.6 };
        Assert.Equal("Series 4 VENOUS: 2.46 mm, 72 s {ok}", Message("Series {s.Number} {s.Description}: {s.SliceThickness:0.##} mm, {s.ContrastDelaySeconds:0} s {{ok}}", series));
    }

    [Fact]
    public void Absent_values_lists_and_booleans_read_as_words()
    {
        var site = new SiteFact { Number = "101", QualifiedScanners = ["GE Revolution", "SIEMENS Force"] };
        Assert.Equal("(absent) | GE Revolution, SIEMENS Force | no", Message("{s.Kvp} | {site.QualifiedScanners} | {s.IsLocalizer}", new SeriesFact(), site));
        Assert.Equal("(none)", Message("{site.QualifiedScanners}", new SeriesFact()));
    }

    [Theory]
    [InlineData("{s.Nope}", "unknown field 'Nope' of Series")]
    [InlineData("{s.Number", "is never closed")]
    [InlineData("{number}", "is not a placeholder")]
    [InlineData("a } b", "unmatched '}'")]
    public void A_broken_template_is_rejected_at_the_message_line(string template, string reason)
    {
        var error = Assert.Single(QcRules.Reject($$"""
              - id: MSG
                description: d
                severity: info
                match:
                  - { fact: Series, as: s }
                message: '{{template}}'
            """).Errors);
        Assert.Equal((8, "MSG"), (error.Line, error.RuleId));
        Assert.Contains(reason, error.Reason);
    }

    [Theory]
    [InlineData("s.Rows < 512 || s.Columns < 512", 256, true)]
    [InlineData("s.Rows < 512 || s.Columns < 512", 512, false)]
    [InlineData("s.Rows * s.PixelSpacing < 300", 256, true)]
    [InlineData("s.Kvp < 100", 256, false)] // Kvp is absent: undefined < 100 is false, unlike null < 100
    public void A_javascript_condition_sees_the_named_fields(string expr, int matrix, bool fires)
    {
        var series = new SeriesFact { Rows = matrix, Columns = matrix, PixelSpacing = 0.8 };
        Assert.Equal(fires, QcRules.Fires($"{{ expr: \"{expr}\" }}", series));
    }

    [Theory]
    [InlineData("(function(){ while(true){} })()")]
    [InlineData("(function f(n){ return f(n + 1); })(0)")]
    [InlineData("new Array(100000000).fill(1).length > 0")]
    public void A_runaway_expression_is_stopped_and_named(string expr)
    {
        var e = Assert.Throws<QcEvaluationException>(() => QcRules.Fires($"{{ expr: \"{expr}\" }}", new SeriesFact()));
        Assert.Equal("R1", e.RuleId);
    }

    [Theory]
    [InlineData("typeof System === 'undefined' && typeof importNamespace === 'undefined' && typeof clr === 'undefined'")]
    public void An_expression_reaches_no_clr_type(string expr) => Assert.True(QcRules.Fires($"{{ expr: \"{expr}\" }}", new SeriesFact()));

    [Fact]
    public void An_expression_cannot_compile_code_from_strings()
    {
        var e = Assert.Throws<QcEvaluationException>(() => QcRules.Fires("{ expr: \"eval('1') == 1\" }", new SeriesFact()));
        Assert.Contains("eval", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
