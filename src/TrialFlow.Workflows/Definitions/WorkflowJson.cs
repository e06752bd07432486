using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFlow.Workflows.Definitions;

/// <summary>Reads and writes workflow documents: camelCase, indented, no type names.</summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses a document; malformed JSON is reported with its line and position.</summary>
    public static WorkflowDocument Parse(string json, string source = "workflow")
    {
        try
        {
            return JsonSerializer.Deserialize<WorkflowDocument>(json, Options)
                ?? throw new WorkflowFormatException(source, "the document is empty (null)");
        }
        catch (JsonException e)
        {
            throw new WorkflowFormatException(source, $"line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {e.Message}");
        }
    }

    public static WorkflowDocument Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static string Write(WorkflowDocument document) => JsonSerializer.Serialize(document, Options);
}

/// <summary>A workflow file is not valid JSON for the format. The message names the source and where.</summary>
public sealed class WorkflowFormatException(string source, string detail) : WorkflowException($"{source}: {detail}")
{
    public string DocumentSource { get; } = source;
}

/// <summary>Base of every error raised by TrialFlow.Workflows.</summary>
public abstract class WorkflowException(string message, Exception? inner = null) : Exception(message, inner);
