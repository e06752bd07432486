using System.Text.RegularExpressions;
using Acornima.Ast;
using Jint;
using Jint.Runtime;

namespace TrialFlow.Scripting;

/// <summary>
/// The sandbox every user-written script runs in (QC rule conditions, workflow Decision conditions and computed
/// inputs): strict mode, no CLR interop (no <c>System</c>, no <c>importNamespace</c>, no .NET object crosses), no
/// <c>eval</c> or <c>Function</c>, and one set of limits. Callers pass values in as <c>JsValue</c>s and keep their own
/// inputs; they do not configure the engine, so the limits cannot drift apart again.
/// </summary>
public static class ScriptSandbox
{
    /// <summary>Wall-clock time one evaluation may take; regular expressions get the same.</summary>
    public static TimeSpan TimeLimit { get; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Statements one evaluation may execute: the limit a runaway loop meets first, whatever the machine's speed.</summary>
    public const int StatementLimit = 10_000;

    /// <summary>Bytes one evaluation may allocate.</summary>
    public const long MemoryLimit = 8_000_000;

    /// <summary>Nested calls one evaluation may make.</summary>
    public const int RecursionLimit = 64;

    /// <summary>Elements one array may hold.</summary>
    public const uint ArrayLimit = 10_000;

    /// <summary>A new engine with the sandbox's options. An engine is not thread-safe; a prepared script is.</summary>
    public static Engine CreateEngine() => new(Configure);

    /// <summary>Parses <paramref name="source"/> once, in strict mode, for any engine to run.</summary>
    public static Prepared<Script> Prepare(string source) => Engine.PrepareScript(source, strict: true);

    /// <summary>Null when <paramref name="source"/> parses, else the syntax error (with line and column).</summary>
    public static string? SyntaxError(string source)
    {
        try
        {
            Prepare(source);
            return null;
        }
        catch (ScriptPreparationException e)
        {
            return e.InnerException?.Message ?? e.Message;
        }
    }

    /// <summary>True when <paramref name="e"/> is the script's own failure (it threw, or met a limit), not ours.</summary>
    public static bool IsScriptFailure(Exception e) =>
        e is JavaScriptException or TimeoutException or RegexMatchTimeoutException or ExecutionCanceledException
            or StatementsCountOverflowException or MemoryLimitExceededException or RecursionDepthOverflowException
            or JintException;

    /// <summary>Why the script failed, in words that name the limit it met.</summary>
    public static string Describe(Exception e) => e switch
    {
        TimeoutException or RegexMatchTimeoutException or ExecutionCanceledException =>
            $"it ran past the sandbox's time limit of {TimeLimit.TotalMilliseconds:0} ms",
        StatementsCountOverflowException => $"it ran more than the sandbox's {StatementLimit} statements",
        MemoryLimitExceededException => $"it allocated more than the sandbox's {MemoryLimit / 1_000_000} MB",
        RecursionDepthOverflowException => $"it nested calls deeper than the sandbox's {RecursionLimit}",
        _ => e.Message,
    };

    private static void Configure(Options options)
    {
        options.Strict();
        options.DisableStringCompilation();
        options.Interop.Enabled = false; // nothing of the CLR is reachable: values cross as JsValues only
        options.TimeoutInterval(TimeLimit);
        options.MaxStatements(StatementLimit);
        options.LimitMemory(MemoryLimit);
        options.LimitRecursion(RecursionLimit);
        options.Constraints.MaxArraySize = ArrayLimit;
        options.Constraints.RegexTimeout = TimeLimit;
    }
}
