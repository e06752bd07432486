using System.Globalization;
using System.Text.Json;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Scripting;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// Sets an activity's <c>[Input]</c> properties from the node's expressions (or the declared defaults): literals are
/// read as the property's type, JavaScript is evaluated over the study first. The study is loaded once, and only when
/// a script needs it.
/// </summary>
internal sealed class InputBinder(JavaScriptSandbox sandbox, WorkflowDatabase database)
{
    public async Task BindAsync(Activity activity, ActivityStep step, Guid studyId, CancellationToken cancellationToken)
    {
        string? studyJson = null;
        foreach (var input in step.Descriptor.Inputs)
        {
            var expression = step.Node.Inputs.FirstOrDefault(i => string.Equals(i.Key, input.Name, StringComparison.OrdinalIgnoreCase)).Value;
            JsonElement value;
            if (expression is null)
            {
                if (input.Default is not { } d)
                    continue;
                value = d;
            }
            else if (expression.Type == ExpressionType.JavaScript)
            {
                if (studyJson is null)
                {
                    await using var db = database.Context();
                    studyJson = await StudyFacts.LoadJsonAsync(db, studyId, cancellationToken);
                }
                try
                {
                    value = sandbox.Evaluate(expression.Text ?? "", studyJson);
                }
                catch (ScriptFailedException e)
                {
                    throw new InputBindingException(step.Node.Id, input.Name, e.Message, e);
                }
            }
            else
            {
                value = expression.Value;
            }
            input.Property.SetValue(activity, Convert(step.Node.Id, input, value));
        }
    }

    private static object? Convert(string activityId, InputDescriptor input, JsonElement value)
    {
        var type = Nullable.GetUnderlyingType(input.Property.PropertyType) ?? input.Property.PropertyType;
        try
        {
            return input.Kind switch
            {
                InputKind.Text => value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Null ? "" : value.GetRawText(),
                InputKind.Boolean => value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new FormatException($"expected true or false, got {value.ValueKind} {value}"),
                },
                InputKind.Number when type == typeof(int) => value.GetInt32(),
                InputKind.Number => value.GetDouble(),
                InputKind.Duration => TimeSpan.Parse(value.GetString() ?? "", CultureInfo.InvariantCulture),
                InputKind.Choice => Enum.Parse(type, value.GetString() ?? "", ignoreCase: true),
                _ => throw new NotSupportedException(input.Kind.ToString()),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new InputBindingException(activityId, input.Name, e.Message, e);
        }
    }
}

/// <summary>An input could not be given its value when the activity ran (a script failed or returned the wrong type).</summary>
public sealed class InputBindingException(string activityId, string input, string detail, Exception? inner = null)
    : WorkflowException($"activity '{activityId}', input '{input}': {detail}", inner)
{
    public string ActivityId { get; } = activityId;

    public string Input { get; } = input;
}
