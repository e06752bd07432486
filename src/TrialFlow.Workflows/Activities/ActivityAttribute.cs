namespace TrialFlow.Workflows.Activities;

/// <summary>
/// Declares a workflow activity: the catalog lists every class of this assembly that carries it. The JSON
/// <c>type</c> is the class name unless <see cref="Type"/> says otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityAttribute(string category, string description) : Attribute
{
    public string Category { get; } = category;

    public string Description { get; } = description;

    /// <summary>The name used in definitions; defaults to the class name.</summary>
    public string? Type { get; init; }

    /// <summary>Outcomes (ports) this activity ends with, besides the implicit <c>error</c>. Default: <c>done</c>.</summary>
    public string[] Outcomes { get; init; } = [ActivityOutcomes.Done];

    /// <summary>A trigger starts instances; it is the first activity of a flowchart and has no incoming connection.</summary>
    public bool IsTrigger { get; init; }

    /// <summary>
    /// The activity waits for time or for people (a timer, a signal, a read, a query answer): the instance sleeps in the
    /// database meanwhile. A loop of the flowchart must pass through one, or it would run without pause.
    /// </summary>
    public bool Waits { get; init; }
}

/// <summary>Declares an input of an activity. The property type decides the editor and how a literal is read.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class InputAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    /// <summary>A required input must be present in the definition (a default counts as present).</summary>
    public bool Required { get; init; }

    /// <summary>The default, as its JSON text (e.g. <c>"\"00:05:00\""</c>, <c>"3"</c>); null: none.</summary>
    public string? Default { get; init; }

    /// <summary>The designer offers a JavaScript editor first (the input is usually a condition or a template).</summary>
    public bool PreferJavaScript { get; init; }
}

public static class ActivityOutcomes
{
    public const string Done = "done";

    /// <summary>Every activity may end with it once its retries are used up; an incident is recorded.</summary>
    public const string Error = "error";

    /// <summary>The one port every connection targets.</summary>
    public const string In = "in";
}
