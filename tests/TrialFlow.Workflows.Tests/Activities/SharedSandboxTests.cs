using TrialFlow.Scripting;
using TrialFlow.Workflows.Scripting;

namespace TrialFlow.Workflows.Tests.Activities;

/// <summary>A workflow expression runs in the sandbox QC rule scripts run in: no CLR, the same limits, errors that name the script.</summary>
public sealed class SharedSandboxTests
{
    private const string Study = """{"modalities":["CT"],"numberOfInstances":3,"series":[]}""";

    [Theory]
    [InlineData("System.IO.File.Exists('/etc/passwd')")]
    [InlineData("importNamespace('System.IO').File.Exists('/etc/passwd')")]
    [InlineData("typeof System === 'undefined' ? null.x : true")] // fails only if nothing named System is reachable
    public void A_workflow_expression_cannot_reach_a_clr_type(string script)
    {
        var e = Assert.Throws<ScriptFailedException>(() => JavaScriptSandbox.Shared.Evaluate(script, Study));

        Assert.Equal(script, e.Script);
        Assert.Contains(script, e.Message);
    }

    [Fact]
    public void A_workflow_expression_stops_at_the_shared_time_limit()
    {
        // Catastrophic backtracking: one statement that never ends, so time (not the statement count) is what stops it.
        const string script = "/(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')";

        var e = Assert.Throws<ScriptFailedException>(() => JavaScriptSandbox.Shared.Evaluate(script, Study));

        Assert.Contains(script, e.Message);
        Assert.Contains($"time limit of {ScriptSandbox.TimeLimit.TotalMilliseconds:0} ms", e.Message);
    }

    [Fact]
    public void A_runaway_workflow_expression_stops_at_the_shared_statement_limit()
    {
        const string script = "while (true) {}";

        var e = Assert.Throws<ScriptFailedException>(() => JavaScriptSandbox.Shared.Evaluate(script, Study));

        Assert.Contains(script, e.Message);
        Assert.Contains($"{ScriptSandbox.StatementLimit} statements", e.Message);
    }
}
