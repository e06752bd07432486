using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFlow.Workflows.Definitions;

/// <summary>
/// A workflow definition as stored in <c>workflows/*.json</c> and in the database: field names familiar to Elsa 3
/// users. The document is data only; <see cref="Validation.WorkflowValidator"/> decides whether it can run.
/// </summary>
public sealed record WorkflowDocument
{
    public string DefinitionId { get; init; } = "";

    public int Version { get; init; } = 1;

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public bool IsPublished { get; init; }

    /// <summary>Named values the designer shows; the runtime keeps workflow data to ids (see <c>StudyWorkflowData</c>).</summary>
    public IReadOnlyList<WorkflowVariable> Variables { get; init; } = [];

    public FlowchartNode Root { get; init; } = new();
}

public sealed record WorkflowVariable(string Name, string Type, JsonElement? Value = null);

/// <summary>The flowchart: activities and the outcome-labelled connections between them.</summary>
public sealed record FlowchartNode
{
    public string Type { get; init; } = "Flowchart";

    public IReadOnlyList<ActivityNode> Activities { get; init; } = [];

    public IReadOnlyList<Connection> Connections { get; init; } = [];
}

/// <summary>One activity of a flowchart: its id (unique in the definition), catalog type, inputs and designer metadata.</summary>
public sealed record ActivityNode
{
    public string Id { get; init; } = "";

    public string Type { get; init; } = "";

    /// <summary>Input name (as the catalog declares it, camelCase) → expression.</summary>
    public IReadOnlyDictionary<string, InputExpression> Inputs { get; init; } = new Dictionary<string, InputExpression>();

    public ActivityMetadata? Metadata { get; init; }
}

public sealed record ActivityMetadata(DesignerMetadata? Designer = null, string? DisplayName = null);

public sealed record DesignerMetadata(Position? Position = null);

public sealed record Position(double X, double Y);

/// <summary>An input's value: a literal JSON value, or JavaScript evaluated over the study when the activity runs.</summary>
public sealed record InputExpression(ExpressionType Type, JsonElement Value)
{
    public static InputExpression Literal<T>(T value) => new(ExpressionType.Literal, JsonSerializer.SerializeToElement(value, WorkflowJson.Options));

    public static InputExpression JavaScript(string script) => new(ExpressionType.JavaScript, JsonSerializer.SerializeToElement(script));

    /// <summary>The script of a JavaScript expression, or the text of a literal string.</summary>
    [JsonIgnore]
    public string? Text => Value.ValueKind == JsonValueKind.String ? Value.GetString() : null;
}

[JsonConverter(typeof(JsonStringEnumConverter<ExpressionType>))]
public enum ExpressionType
{
    Literal,
    JavaScript,
}

/// <summary>An edge: when <see cref="Source"/>'s activity ends with outcome <c>Source.Port</c>, <see cref="Target"/>'s activity runs.</summary>
public sealed record Connection(Endpoint Source, Endpoint Target);

public sealed record Endpoint(string Activity, string Port);
