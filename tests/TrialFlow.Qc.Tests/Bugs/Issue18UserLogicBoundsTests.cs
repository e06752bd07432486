using System.Diagnostics;
using TrialFlow.Qc.Evaluation;

namespace TrialFlow.Qc.Tests.Bugs;

/// <summary>
/// Issue 18: a message format <c>{s.Images:D200000000}</c> validated and its dry run took 17 s and 4.3 GB. Formats are
/// bounded at load, messages at run time, and conditions and whole evaluations by time and memory limits.
/// </summary>
public sealed class Issue18UserLogicBoundsTests
{
    private static string Rule(string message, string? expr = null) => $$"""
          - id: BOMB
            description: d
            severity: info
            match:
              - fact: Series
                as: s
        {{(expr is null ? "" : $"        where:\n          - {{ expr: \"{expr}\" }}\n")}}    message: '{{message}}'
        """;

    [Theory]
    [InlineData("{s.Images:D200000000}", "precision 200000000")]
    [InlineData("{s.SliceThickness:F99}", "precision 99")]
    [InlineData("{s.Number,-300}", "width -300")]
    [InlineData("{s.Number,99999999999}", "width 99999999999")]
    [InlineData("{s.SliceThickness:D}", "not a numeric format")]
    [InlineData("{s.SliceThickness:0000000000000000000000000000000000000000}", "longer than 32")]
    public void An_unbounded_format_is_refused_at_load_naming_file_line_and_rule(string placeholder, string reason)
    {
        var error = Assert.Single(QcRules.Reject(Rule($"Series {placeholder}")).Errors);
        Assert.Equal((QcRules.File, 9, "BOMB"), (error.File, error.Line, error.RuleId));
        Assert.Contains(reason, error.Reason);
        Assert.Contains(placeholder, error.Reason);
    }

    [Fact]
    public void Bounded_widths_and_precisions_still_format()
    {
        var result = QcRules.Run(Rule("[{s.Number,-4}|{s.Number,3}|{s.SliceThickness:F2}|{s.Images:D5}|{s.SliceThickness:E15}]"), QcRules.Study(QcRules.Ct(number: 7)));
        Assert.Equal("[7   |  7|1.25|00100|1.250000000000000E+000]", Assert.Single(result.Findings).Message);
    }

    [Fact]
    public void A_rendered_message_is_cut_at_the_cap()
    {
        var series = QcRules.Ct(description: new string('d', 50_000));
        var result = QcRules.Run(Rule("{s.Description} {s.Description} {s.Description}"), QcRules.Study(series));
        var message = Assert.Single(result.Findings).Message;
        Assert.Equal(MessageTemplate.MaxLength, message.Length);
        Assert.EndsWith("…", message);
    }

    [Theory]
    [InlineData("(function(){ while(true){} })()")]
    [InlineData("'x'.repeat(1e9).length > 0")]
    [InlineData("(function(){ var s = 'x'; while(true){ s = s + s; } })()")]
    [InlineData("(function(){ var a = []; while(true){ a.push('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'); } })()")]
    [InlineData("(function(){ var a = []; for (var i = 0; i < 1e9; i++){ a[i] = [i, i, i, i]; } })()")]
    public void A_runaway_condition_fails_its_rule_within_the_limits(string expr)
    {
        var ruleset = QcRules.Compile(Rule("fired", expr));
        // Warm the JavaScript engine of this thread, so the time measured is the runaway's and not start-up's.
        QcEvaluator.Evaluate(QcRules.Compile(Rule("fired", "s.Number > 0")), QcRules.Study(QcRules.Ct()));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<QcEvaluationException>(() => QcEvaluator.Evaluate(ruleset, QcRules.Study(QcRules.Ct())));
        watch.Stop();

        Assert.Equal("BOMB", e.RuleId);
        Assert.Contains("failed", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 200_000_000, $"allocated {(GC.GetAllocatedBytesForCurrentThread() - before) / 1_000_000} MB");
    }

    [Fact]
    public void An_evaluation_past_its_time_limit_is_refused_with_a_clear_error()
    {
        var ruleset = QcRules.Compile(Rule("fired", "s.Number > 0"));
        var series = Enumerable.Range(1, 200).Select(n => QcRules.Ct(number: n)).ToArray();

        var e = Assert.Throws<QcTimeLimitException>(() => QcEvaluator.Evaluate(ruleset, QcRules.Study(series), TimeSpan.Zero));

        Assert.Equal("BOMB", e.RuleId);
        Assert.Contains("time limit of 0 s", e.Message);
    }

    [Fact]
    public void An_evaluation_without_javascript_past_its_time_limit_is_refused_too()
    {
        var ruleset = QcRules.Compile(Rule("fired"));
        var e = Assert.Throws<QcTimeLimitException>(() => QcEvaluator.Evaluate(ruleset, QcRules.Study(QcRules.Ct()), TimeSpan.Zero));
        Assert.Contains("did not finish within its time limit", e.Message);
    }

    [Fact]
    public async Task A_dry_run_of_a_runaway_draft_returns_an_error_instead_of_hanging()
    {
        await using var harness = await QcHarness.CreateAsync();
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.1818"));
        await using var db = harness.Db();
        var study = await db.Studies.SingleAsync();
        var (active, _) = await harness.Rulesets.ActiveAsync(db, CancellationToken.None);

        var looping = active.Content.TrimEnd() + "\n\n" + Rule("fired", "(function(){ while(true){} })()");
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<QcEvaluationException>(() => harness.Qc.DryRunAsync(study.Id, looping, Actor.System("tests")));
        Assert.Equal("BOMB", e.RuleId);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");

        var bomb = active.Content.Replace("{s.Number}", "{s.Number:D200000000}");
        var refused = await Assert.ThrowsAsync<RulesetException>(() => harness.Qc.DryRunAsync(study.Id, bomb, Actor.System("tests")));
        Assert.Contains(refused.Errors, x => x.RuleId is not null && x.Reason.Contains("precision 200000000"));
        Assert.Equal(0, await db.QcResults.CountAsync());
    }

    [Fact]
    public async Task A_dry_run_past_the_time_limit_returns_a_clear_error()
    {
        await using var harness = await QcHarness.CreateAsync(evaluationTimeLimit: TimeSpan.Zero);
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.1819"));
        await using var db = harness.Db();
        var study = await db.Studies.SingleAsync();
        var (active, _) = await harness.Rulesets.ActiveAsync(db, CancellationToken.None);

        var e = await Assert.ThrowsAsync<QcTimeLimitException>(() => harness.Qc.DryRunAsync(study.Id, active.Content, Actor.System("tests")));
        Assert.Contains("did not finish within its time limit of 0 s", e.Message);
    }
}
