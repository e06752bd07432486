using WorkflowCore.Models;
using static TrialFlow.Workflows.Tests.Support.Flowcharts;

namespace TrialFlow.Workflows.Tests.Runtime;

public sealed class GraphCompilerTests
{
    private static readonly GraphCompiler Compiler = new(ActivityCatalog.Default);

    [Fact]
    public void The_trigger_is_step_zero_and_every_connection_is_an_outcome_labelled_with_its_port()
    {
        var document = WorkflowHarness.ShippedQcGate();
        // Put the trigger last in the file: WorkflowCore starts at step 0 whatever the order.
        document = document with { Root = document.Root with { Activities = [.. document.Root.Activities.Skip(1), document.Root.Activities[0]] } };

        var definition = Compiler.Compile(document);

        Assert.Equal(("qc-gate", typeof(StudyWorkflowData)), (definition.Id, definition.DataType));
        Assert.Equal("completed", definition.Steps.FindById(0).ExternalId);
        var qc = definition.Steps.Single(s => s.ExternalId == "qc");
        var routes = qc.Outcomes.Select(o => (o.Label, definition.Steps.FindById(o.NextStep).ExternalId)).OrderBy(r => r.Label).ToList();
        Assert.Equal([("failed", "notify-site"), ("passed", "notify-passed")], routes);
        Assert.Equal(document.Root.Connections.Count, definition.Steps.Sum(s => s.Outcomes.Count));
        Assert.Equal(Enumerable.Range(0, definition.Steps.Count), definition.Steps.Select(s => s.Id).Order());
    }

    [Fact]
    public void An_outcome_matches_only_its_own_port()
    {
        var definition = Compiler.Compile(WorkflowHarness.ShippedQcGate());
        var toPassed = definition.Steps.Single(s => s.ExternalId == "qc").Outcomes.Single(o => o.Label == "passed");

        Assert.True(toPassed.Matches(ExecutionResult.Outcome("passed"), new StudyWorkflowData()));
        Assert.False(toPassed.Matches(ExecutionResult.Outcome("failed"), new StudyWorkflowData()));
        Assert.False(toPassed.Matches(ExecutionResult.Outcome(ActivityOutcomes.Error), new StudyWorkflowData()));
    }

    [Fact]
    public void A_loop_compiles_to_an_edge_back_to_an_earlier_step()
    {
        var document = Document("loop",
            [Node("completed", "StudyCompleted"), Node("check", "Decision", ("condition", InputExpression.JavaScript("study.numberOfInstances > 1"))),
             Node("wait", "Delay", ("duration", InputExpression.Literal("1.00:00:00")))],
            [Edge("completed", "done", "check"), Edge("check", "false", "wait"), Edge("wait", "done", "check")]);

        var definition = Compiler.Compile(document);

        var wait = definition.Steps.Single(s => s.ExternalId == "wait");
        Assert.Equal("check", definition.Steps.FindById(Assert.Single(wait.Outcomes).NextStep).ExternalId);
    }

    [Fact]
    public void An_invalid_definition_does_not_compile_and_says_why()
    {
        var error = Assert.Throws<WorkflowInvalidException>(() => Compiler.Compile(Chain("bad", (Node("status", "SetStudyStatus"), "done"))));

        Assert.Contains(error.Errors, e => e.Code == "missing-input" && e.ActivityId == "status");
    }
}
