using System.Text.Json;
using Microsoft.AspNetCore.Components;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Scripting;
using TrialFlow.Workflows.Validation;

namespace TrialFlow.Web.Workflows;

/// <summary>Edits one activity's inputs; every edit produces a new <see cref="ActivityNode"/> through <see cref="NodeChanged"/>.</summary>
public partial class ActivityPropertyPanel
{
    /// <summary>The catalog's description of the activity's type (its inputs and their kinds).</summary>
    [Parameter, EditorRequired]
    public ActivityDescriptor Descriptor { get; set; } = default!;

    /// <summary>The activity being edited.</summary>
    [Parameter, EditorRequired]
    public ActivityNode Node { get; set; } = default!;

    /// <summary>Validation errors of the whole definition; those of this activity are shown by their input. Default: none.</summary>
    [Parameter]
    public IReadOnlyList<ValidationError> Errors { get; set; } = [];

    /// <summary>Raised with the edited activity after every change.</summary>
    [Parameter]
    public EventCallback<ActivityNode> NodeChanged { get; set; }

    private InputExpression? ExpressionOf(InputDescriptor input) =>
        Node.Inputs.FirstOrDefault(i => string.Equals(i.Key, input.Name, StringComparison.OrdinalIgnoreCase)).Value;

    // Checked as the user types, before the definition-wide validation runs.
    private static string? SyntaxErrorOf(InputExpression? expression) =>
        expression?.Text is { Length: > 0 } script ? JavaScriptSandbox.CheckSyntax(script) : null;

    private Task SetKindAsync(InputDescriptor input, bool javaScript) =>
        SetAsync(input, javaScript ? InputExpression.JavaScript(ExpressionOf(input)?.Text ?? "") : null);

    private Task SetScriptAsync(InputDescriptor input, string script) => SetAsync(input, InputExpression.JavaScript(script ?? ""));

    private Task SetLiteralAsync<T>(InputDescriptor input, T value) =>
        SetAsync(input, new InputExpression(ExpressionType.Literal, JsonSerializer.SerializeToElement(value)));

    private async Task SetAsync(InputDescriptor input, InputExpression? expression)
    {
        var inputs = Node.Inputs.Where(i => !string.Equals(i.Key, input.Name, StringComparison.OrdinalIgnoreCase)).ToDictionary(i => i.Key, i => i.Value);
        if (expression is not null)
            inputs[input.Name] = expression;
        Node = Node with { Inputs = inputs };
        await NodeChanged.InvokeAsync(Node);
    }
}
