using static TrialFlow.Workflows.Tests.Support.Flowcharts;

namespace TrialFlow.Workflows.Tests.Validation;

public sealed class WorkflowValidatorTests
{
    private static readonly WorkflowValidator Validator = new(ActivityCatalog.Default);

    private static ValidationError Single(WorkflowDocument document, string code)
    {
        var errors = Validator.Validate(document);
        return Assert.Single(errors, e => e.Code == code);
    }

    [Fact]
    public void The_shipped_qc_gate_is_valid()
    {
        Assert.Empty(Validator.Validate(WorkflowHarness.ShippedQcGate()));
    }

    [Fact]
    public void An_unknown_type_names_the_activity_and_the_catalog()
    {
        var error = Single(Chain("wf", (Node("x", "RunQcc"), "done")), "unknown-type");

        Assert.Equal("x", error.ActivityId);
        Assert.Contains("'RunQcc'", error.Message);
        Assert.Contains("Decision", error.Message);
    }

    [Fact]
    public void A_missing_required_input_names_activity_and_input()
    {
        var error = Single(Chain("wf", (Node("status", "SetStudyStatus"), "done")), "missing-input");

        Assert.Equal(("status", "status"), (error.ActivityId, error.Input));
    }

    [Fact]
    public void An_input_with_a_default_may_be_left_out()
    {
        var notify = Node("tell", "Notify", ("title", InputExpression.Literal("t")));

        Assert.Empty(Validator.Validate(Chain("wf", (notify, "done"))));
    }

    [Fact]
    public void A_literal_of_the_wrong_type_names_the_input_and_the_expected_values()
    {
        var error = Single(Chain("wf", (Node("status", "SetStudyStatus", ("status", InputExpression.Literal("Finished"))), "done")), "input-type");

        Assert.Equal(("status", "status"), (error.ActivityId, error.Input));
        Assert.Contains("QcPassed", error.Message);
    }

    [Fact]
    public void An_unknown_input_is_reported()
    {
        var error = Single(Chain("wf", (Node("wait", "Delay", ("duration", InputExpression.Literal("00:01:00")), ("durationn", InputExpression.Literal(1))), "done")), "unknown-input");

        Assert.Equal(("wait", "durationn"), (error.ActivityId, error.Input));
    }

    [Fact]
    public void A_bad_duration_is_reported()
    {
        var error = Single(Chain("wf", (Node("wait", "Delay", ("duration", InputExpression.Literal("two days"))), "done")), "input-type");

        Assert.Equal(("wait", "duration"), (error.ActivityId, error.Input));
    }

    [Fact]
    public void A_javascript_syntax_error_names_activity_and_input()
    {
        var error = Single(Chain("wf", (Node("check", "Decision", ("condition", InputExpression.JavaScript("study.numberOfInstances >"))), "true")), "script-syntax");

        Assert.Equal(("check", "condition"), (error.ActivityId, error.Input));
    }

    [Fact]
    public void A_connection_from_an_outcome_the_activity_does_not_have_is_reported()
    {
        var check = Node("check", "Decision", ("condition", InputExpression.JavaScript("true")));

        var error = Single(Chain("wf", (check, "passed"), (Node("wait", "Delay", ("duration", InputExpression.Literal("00:01:00"))), "done")), "unknown-port");

        Assert.Equal("check", error.ActivityId);
        Assert.Contains("'passed'", error.Message);
        Assert.Contains("true, false, error", error.Message);
    }

    [Fact]
    public void Dangling_connections_are_reported_on_both_ends()
    {
        var document = Chain("wf") with
        {
            Root = Chain("wf").Root with { Connections = [Edge("completed", "done", "nowhere"), Edge("ghost", "done", "completed")] },
        };

        var errors = Validator.Validate(document);

        Assert.Contains(errors, e => e.Code == "dangling-target" && e.ActivityId == "nowhere");
        Assert.Contains(errors, e => e.Code == "dangling-source" && e.ActivityId == "ghost");
    }

    [Fact]
    public void Parallel_branches_converging_on_one_activity_are_refused()
    {
        var document = Document("wf",
            [Node("completed", "StudyCompleted"), Node("a", "SetStudyStatus", ("status", InputExpression.Literal("QcPassed"))),
             Node("b", "SetStudyStatus", ("status", InputExpression.Literal("InReview"))), Node("tell", "Notify", ("title", InputExpression.Literal("t")))],
            [Edge("completed", "done", "a"), Edge("completed", "done", "b"), Edge("a", "done", "tell"), Edge("b", "done", "tell")]);

        var error = Single(document, "parallel-convergence");

        Assert.Equal("tell", error.ActivityId);
    }

    [Fact]
    public void Exclusive_branches_may_merge_and_loops_are_allowed()
    {
        var document = Document("wf",
            [Node("completed", "StudyCompleted"), Node("check", "Decision", ("condition", InputExpression.JavaScript("study.numberOfInstances > 1"))),
             Node("wait", "Delay", ("duration", InputExpression.Literal("1.00:00:00"))), Node("tell", "Notify", ("title", InputExpression.Literal("t")))],
            [Edge("completed", "done", "check"), Edge("check", "true", "tell"), Edge("check", "false", "wait"), Edge("wait", "done", "check")]);

        Assert.Empty(Validator.Validate(document));
    }

    [Fact]
    public void A_flowchart_needs_exactly_one_trigger_and_nothing_may_enter_it()
    {
        var none = Document("wf", [Node("tell", "Notify", ("title", InputExpression.Literal("t")))], []);
        var loopIntoTrigger = Document("wf", [Node("completed", "StudyCompleted"), Node("tell", "Notify", ("title", InputExpression.Literal("t")))],
            [Edge("completed", "done", "tell"), Edge("tell", "done", "completed")]);

        Assert.Contains(Validator.Validate(none), e => e.Code == "no-trigger");
        Assert.Contains(Validator.Validate(loopIntoTrigger), e => e.Code == "trigger-incoming" && e.ActivityId == "completed");
    }

    [Fact]
    public void Duplicate_ids_and_unreachable_activities_are_reported()
    {
        var document = Document("wf",
            [Node("completed", "StudyCompleted"), Node("tell", "Notify", ("title", InputExpression.Literal("t"))), Node("tell", "Notify", ("title", InputExpression.Literal("u"))),
             Node("orphan", "Notify", ("title", InputExpression.Literal("v")))],
            [Edge("completed", "done", "tell")]);

        var errors = Validator.Validate(document);

        Assert.Contains(errors, e => e.Code == "duplicate-id" && e.ActivityId == "tell");
        Assert.Contains(errors, e => e.Code == "unreachable" && e.ActivityId == "orphan");
    }

    [Fact]
    public void Malformed_json_reports_line_and_position()
    {
        var error = Assert.Throws<WorkflowFormatException>(() => WorkflowJson.Parse("{\n  \"definitionId\": \"x\",\n  \"root\": { \"activities\": [ } }", "bad.json"));

        Assert.Contains("bad.json: line 3", error.Message);
    }
}
