using MudBlazor;
using TrialFlow.Web.Workflows;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Validation;

namespace TrialFlow.Web.Tests.Components;

public sealed class ActivityPropertyPanelTests
{
    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        return ctx;
    }

    [Fact]
    public async Task A_javascript_input_shows_its_syntax_error_while_typing_and_reports_the_edit()
    {
        await using var ctx = NewContext();
        ActivityNode? edited = null;
        var node = new ActivityNode { Id = "qc", Type = "Decision", Inputs = new Dictionary<string, InputExpression> { ["condition"] = InputExpression.JavaScript("study.numberOfInstances >= 2") } };
        var panel = ctx.Render<ActivityPropertyPanel>(p => p
            .Add(x => x.Descriptor, ActivityCatalog.Default.Get("Decision"))
            .Add(x => x.Node, node)
            .Add(x => x.NodeChanged, (ActivityNode n) => edited = n));

        Assert.Empty(panel.FindAll(".wf-syntax-error"));
        panel.Find("#input-condition").Input("study.numberOfInstances >=");

        Assert.Equal(ExpressionType.JavaScript, edited!.Inputs["condition"].Type);
        Assert.Equal("study.numberOfInstances >=", edited.Inputs["condition"].Text);
        panel.Render();
        Assert.Contains("Unexpected", panel.Find(".wf-syntax-error").TextContent);
    }

    [Fact]
    public async Task Validation_errors_are_shown_under_the_input_they_name()
    {
        await using var ctx = NewContext();
        var node = new ActivityNode { Id = "mark", Type = "SetStudyStatus" };
        var errors = new WorkflowValidator(ActivityCatalog.Default).Validate(new WorkflowDocument
        {
            DefinitionId = "wf",
            Name = "wf",
            Root = new FlowchartNode { Activities = [new ActivityNode { Id = "completed", Type = "StudyCompleted" }, node], Connections = [new Connection(new Endpoint("completed", "done"), new Endpoint("mark", "in"))] },
        });

        var panel = ctx.Render<ActivityPropertyPanel>(p => p
            .Add(x => x.Descriptor, ActivityCatalog.Default.Get("SetStudyStatus"))
            .Add(x => x.Node, node)
            .Add(x => x.Errors, errors));

        var status = panel.Find("[data-input='status']");
        Assert.Contains("required input 'status' is missing", status.QuerySelector(".wf-input-error")!.TextContent);
    }

    [Fact]
    public async Task Switching_an_input_to_javascript_keeps_its_text_as_the_script()
    {
        await using var ctx = NewContext();
        ActivityNode? edited = null;
        var node = new ActivityNode { Id = "tell", Type = "Notify", Inputs = new Dictionary<string, InputExpression> { ["message"] = InputExpression.Literal("`hello`") } };
        var panel = ctx.Render<ActivityPropertyPanel>(p => p
            .Add(x => x.Descriptor, ActivityCatalog.Default.Get("Notify"))
            .Add(x => x.Node, node)
            .Add(x => x.NodeChanged, (ActivityNode n) => edited = n));

        // Inputs render in declaration order (recipient, title, message), one JavaScript switch each.
        var messageSwitch = panel.FindComponents<MudSwitch<bool>>()[ActivityCatalog.Default.Get("Notify").Inputs.ToList().FindIndex(i => i.Name == "message")];
        await panel.InvokeAsync(() => messageSwitch.Instance.ValueChanged.InvokeAsync(true));

        Assert.Equal((ExpressionType.JavaScript, "`hello`"), (edited!.Inputs["message"].Type, edited.Inputs["message"].Text));
    }
}
