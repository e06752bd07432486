using TrialFlow.Scripting;

namespace TrialFlow.Qc.Tests.Rules;

/// <summary>A rule's JavaScript runs in the sandbox workflow scripts run in: no CLR, the same limits, errors that name the rule and its script.</summary>
public sealed class SharedSandboxTests
{
    [Theory]
    [InlineData("System.IO.File.Exists('/etc/passwd')")]
    [InlineData("importNamespace('System.IO').File.Exists('/etc/passwd')")]
    [InlineData("typeof System === 'undefined' ? null.x : true")] // fails only if nothing named System is reachable
    public void A_rule_script_cannot_reach_a_clr_type(string expr)
    {
        var e = Assert.Throws<QcEvaluationException>(() => QcRules.Fires($"{{ expr: \"{expr}\" }}", new SeriesFact()));

        Assert.Equal("R1", e.RuleId);
        Assert.Contains(expr, e.Message);
    }

    [Fact]
    public void A_rule_script_stops_at_the_shared_time_limit()
    {
        // Catastrophic backtracking: one statement that never ends, so time (not the statement count) is what stops it.
        const string expr = "/(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')";

        var e = Assert.Throws<QcEvaluationException>(() => QcRules.Fires($"{{ expr: \"{expr}\" }}", new SeriesFact()));

        Assert.Equal("R1", e.RuleId);
        Assert.Contains(expr, e.Message);
        Assert.Contains($"time limit of {ScriptSandbox.TimeLimit.TotalMilliseconds:0} ms", e.Message);
    }

    [Fact]
    public void A_runaway_rule_script_stops_at_the_shared_statement_limit()
    {
        const string expr = "(function(){ while(true){} })()";

        var e = Assert.Throws<QcEvaluationException>(() => QcRules.Fires($"{{ expr: \"{expr}\" }}", new SeriesFact()));

        Assert.Contains(expr, e.Message);
        Assert.Contains($"{ScriptSandbox.StatementLimit} statements", e.Message);
    }
}
