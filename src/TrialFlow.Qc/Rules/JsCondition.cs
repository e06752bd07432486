using System.Globalization;
using Jint;
using Jint.Native;
using Jint.Runtime;
using TrialFlow.Scripting;

namespace TrialFlow.Qc.Rules;

/// <summary>
/// A condition written in JavaScript for what the operators cannot say (arithmetic across fields, a tolerance).
/// The expression sees only the field values it names, as numbers, strings, booleans or arrays, in the one sandbox
/// workflow scripts run in too (<see cref="ScriptSandbox"/>: strict mode, no CLR access, no eval or Function, limits).
/// Each <c>alias.Field</c> is replaced by an argument before the script is prepared, so no fact object is ever exposed.
/// </summary>
public sealed class JsCondition
{
    [ThreadStatic] private static Engine? _engine; // an Engine is not thread-safe; a prepared script is
    [ThreadStatic] private static CancellationToken _deadline; // the evaluation's time limit, set by QcEvaluator on this thread

    private readonly Prepared<Acornima.Ast.Script> _script;
    private readonly string[] _argumentNames;

    internal JsCondition(string ruleId, string source, string rewritten, int arguments)
    {
        RuleId = ruleId;
        Source = source;
        _argumentNames = Enumerable.Range(0, arguments).Select(i => $"__a{i}").ToArray();
        _script = ScriptSandbox.Prepare(rewritten);
    }

    public string RuleId { get; }

    public string Source { get; }

    /// <summary>Null when <paramref name="source"/> parses as a JavaScript expression, else why not.</summary>
    internal static string? Problem(string source)
    {
        try
        {
            ScriptSandbox.Prepare(source);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"the expression does not parse: {e.Message}";
        }
    }

    /// <summary>Evaluates with the named field values; the result is JavaScript truthiness.</summary>
    public bool Evaluate(object?[] values)
    {
        // Each call is bounded by the engine's limits; the deadline bounds their sum over a study (many rules × series).
        if (_deadline.IsCancellationRequested)
            throw new QcTimeLimitException(RuleId);
        var engine = _engine ??= ScriptSandbox.CreateEngine();
        try
        {
            for (var i = 0; i < _argumentNames.Length; i++)
                engine.SetValue(_argumentNames[i], ToJs(engine, values[i]));
            return TypeConverter.ToBoolean(engine.Evaluate(_script));
        }
        catch (Exception e) when (ScriptSandbox.IsScriptFailure(e))
        {
            throw new QcEvaluationException(RuleId, $"expression '{Source}' failed: {ScriptSandbox.Describe(e)}");
        }
        finally
        {
            engine.Advanced.ResetCallStack();
        }
    }

    /// <summary>Makes every condition evaluated on this thread refuse to start once <paramref name="deadline"/> is cancelled.</summary>
    internal static DeadlineScope WithDeadline(CancellationToken deadline)
    {
        var previous = _deadline;
        _deadline = deadline;
        return new DeadlineScope(previous);
    }

    internal readonly struct DeadlineScope(CancellationToken previous) : IDisposable
    {
        public void Dispose() => _deadline = previous;
    }

    // Absent values are undefined, not null: in JavaScript `null <= 5` is true, `undefined <= 5` is false.
    private static JsValue ToJs(Engine engine, object? value) => value switch
    {
        null => JsValue.Undefined,
        double d => new JsNumber(d),
        int n => new JsNumber(n),
        bool b => b ? JsBoolean.True : JsBoolean.False,
        string s => new JsString(s),
        IReadOnlyList<string> list => new Jint.Native.JsArray(engine, list.Select(x => (JsValue)new JsString(x)).ToArray()),
        _ => new JsString(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };
}

/// <summary>
/// QC of one study ran over its time limit (<see cref="Evaluation.QcEvaluator.DefaultTimeLimit"/>): the study's QC did
/// not complete. <see cref="RuleId"/> is the rule being evaluated when the limit passed, when known.
/// </summary>
public sealed class QcTimeLimitException(string? ruleId, TimeSpan? limit = null)
    : QcException($"QC did not finish within its time limit{(limit is { } l ? $" of {l.TotalSeconds:0.#} s" : "")}{(ruleId is null ? "" : $" (it was evaluating rule {ruleId})")}; simplify the rule's conditions.")
{
    public string? RuleId { get; } = ruleId;

    /// <summary>The same refusal with the limit that was exceeded, for the message.</summary>
    internal QcTimeLimitException With(TimeSpan limit) => new(RuleId, limit);
}

/// <summary>A rule could not be evaluated (its JavaScript failed or ran over a limit). The study's QC did not complete.</summary>
public sealed class QcEvaluationException(string ruleId, string reason) : QcException($"rule {ruleId}: {reason}")
{
    public string RuleId { get; } = ruleId;
}
