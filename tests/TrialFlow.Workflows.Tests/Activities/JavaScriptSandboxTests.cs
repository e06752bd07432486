using TrialFlow.Workflows.Scripting;

namespace TrialFlow.Workflows.Tests.Activities;

public sealed class JavaScriptSandboxTests
{
    private const string Study = """{"modalities":["CT"],"numberOfInstances":3,"series":[{"modality":"CT","numberOfInstances":3}]}""";

    [Fact]
    public void A_condition_sees_the_study()
    {
        Assert.True(JavaScriptSandbox.Shared.Evaluate("study.modalities.includes('CT') && study.series.every(s => s.numberOfInstances >= 2)", Study).GetBoolean());
        Assert.False(JavaScriptSandbox.Shared.Evaluate("study.numberOfInstances > 3", Study).GetBoolean());
    }

    [Theory]
    [InlineData("while (true) {}")]
    [InlineData("eval('1')")]
    [InlineData("new Function('return 1')()")]
    [InlineData("(function f() { return f(); })()")]
    [InlineData("let a = []; while (true) a.push('xxxxxxxxxxxxxxxx');")]
    [InlineData("study.constructor.constructor('return this')()")]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')")]
    public void Hostile_scripts_fail_inside_the_sandbox(string script)
    {
        Assert.Throws<ScriptFailedException>(() => JavaScriptSandbox.Shared.Evaluate(script, Study));
    }
}
