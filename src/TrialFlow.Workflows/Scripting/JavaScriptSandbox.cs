using System.Collections.Concurrent;
using System.Text.Json;
using Jint;
using Jint.Native;
using JsonParser = Jint.Native.Json.JsonParser;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Jint.Runtime;

namespace TrialFlow.Workflows.Scripting;

/// <summary>
/// Evaluates workflow JavaScript (Decision conditions, computed inputs) with Jint in a sandbox: strict mode, no CLR
/// interop, no eval/Function, and limits on time, statements, memory, recursion, arrays and regular expressions.
/// The script sees one global, <c>study</c>, a plain JavaScript object built from JSON (no CLR object crosses).
/// Engines are not thread-safe, so each evaluation gets its own; parsed scripts are shared.
/// </summary>
public sealed class JavaScriptSandbox
{
    private readonly ConcurrentDictionary<string, Prepared<Acornima.Ast.Script>> _prepared = new(StringComparer.Ordinal);

    public static JavaScriptSandbox Shared { get; } = new();

    /// <summary>Parses <paramref name="script"/>; returns null when it is valid, else the syntax error (line and column).</summary>
    public static string? CheckSyntax(string script)
    {
        try
        {
            Engine.PrepareScript(script, strict: true);
            return null;
        }
        catch (ScriptPreparationException e)
        {
            return e.InnerException?.Message ?? e.Message;
        }
    }

    /// <summary>Runs <paramref name="script"/> with <c>study</c> bound to <paramref name="studyJson"/> and returns its completion value as JSON.</summary>
    public JsonElement Evaluate(string script, string studyJson)
    {
        var prepared = _prepared.GetOrAdd(script, s => Engine.PrepareScript(s, strict: true));
        using var engine = new Engine(Configure);
        engine.SetValue("study", new JsonParser(engine).Parse(studyJson));
        try
        {
            var result = engine.Evaluate(prepared);
            return ToJson(result);
        }
        catch (Exception e) when (e is JavaScriptException or TimeoutException or StatementsCountOverflowException
                                       or MemoryLimitExceededException or RecursionDepthOverflowException or ExecutionCanceledException)
        {
            throw new ScriptFailedException(script, e.Message, e);
        }
    }

    private static void Configure(Options options)
    {
        options.Strict();
        options.DisableStringCompilation();
        options.Interop.Enabled = false;
        options.TimeoutInterval(TimeSpan.FromMilliseconds(250));
        options.MaxStatements(10_000);
        options.LimitMemory(8_000_000);
        options.LimitRecursion(64);
        options.Constraints.MaxArraySize = 10_000;
        options.Constraints.RegexTimeout = TimeSpan.FromMilliseconds(100);
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
    : Definitions.WorkflowException($"JavaScript failed: {detail}", inner)
{
    public string Script { get; } = script;
}
