using System.Collections.Concurrent;
using System.Text.Json;
using Jint;
using Jint.Native;
using JsonParser = Jint.Native.Json.JsonParser;
using JsonSerializer = System.Text.Json.JsonSerializer;
using TrialFlow.Scripting;

namespace TrialFlow.Workflows.Scripting;

/// <summary>
/// Evaluates workflow JavaScript (Decision conditions, computed inputs) in the one sandbox QC rule conditions run in
/// too (<see cref="ScriptSandbox"/>: strict mode, no CLR interop, no eval/Function, one set of limits).
/// The script sees one global, <c>study</c>, a plain JavaScript object built from JSON (no CLR object crosses).
/// Engines are not thread-safe, so each evaluation gets its own; parsed scripts are shared.
/// </summary>
public sealed class JavaScriptSandbox
{
    private readonly ConcurrentDictionary<string, Prepared<Acornima.Ast.Script>> _prepared = new(StringComparer.Ordinal);

    public static JavaScriptSandbox Shared { get; } = new();

    /// <summary>Parses <paramref name="script"/>; returns null when it is valid, else the syntax error (line and column).</summary>
    public static string? CheckSyntax(string script) => ScriptSandbox.SyntaxError(script);

    /// <summary>Runs <paramref name="script"/> with <c>study</c> bound to <paramref name="studyJson"/> and returns its completion value as JSON.</summary>
    public JsonElement Evaluate(string script, string studyJson)
    {
        var prepared = _prepared.GetOrAdd(script, ScriptSandbox.Prepare);
        using var engine = ScriptSandbox.CreateEngine();
        engine.SetValue("study", new JsonParser(engine).Parse(studyJson));
        try
        {
            var result = engine.Evaluate(prepared);
            return ToJson(result);
        }
        catch (Exception e) when (ScriptSandbox.IsScriptFailure(e))
        {
            throw new ScriptFailedException(script, ScriptSandbox.Describe(e), e);
        }
    }

    private static JsonElement ToJson(JsValue value) => value switch
    {
        _ when value.IsUndefined() || value.IsNull() => JsonSerializer.SerializeToElement<object?>(null),
        _ when value.IsBoolean() => JsonSerializer.SerializeToElement(value.AsBoolean()),
        _ when value.IsNumber() => JsonSerializer.SerializeToElement(value.AsNumber()),
        _ when value.IsString() => JsonSerializer.SerializeToElement(value.AsString()),
        _ => throw new ScriptFailedException("", $"the script returned a {value.Type}; expected a boolean, number or string"),
    };
}

/// <summary>A workflow script failed at run time (threw, timed out, or hit a sandbox limit).</summary>
public sealed class ScriptFailedException(string script, string detail, Exception? inner = null)
    : Definitions.WorkflowException($"JavaScript '{script}' failed: {detail}", inner)
{
    public string Script { get; } = script;
}
