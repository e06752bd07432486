using System.Text.Json;
using WorkflowCore.Models;

namespace TrialFlow.Workflows.Persistence;

/// <summary>
/// An execution pointer as stored: WorkflowCore's <c>object</c> members become JSON text without type names and come
/// back as strings (the adapter keeps its state as a string) or <see cref="JsonElement"/>s.
/// </summary>
internal sealed record PointerDocument
{
    public string Id { get; init; } = "";
    public int StepId { get; init; }
    public bool Active { get; init; }
    public DateTime? SleepUntil { get; init; }
    public string? PersistenceData { get; init; }
    public DateTime? StartTime { get; init; }
    public DateTime? EndTime { get; init; }
    public string? EventName { get; init; }
    public string? EventKey { get; init; }
    public bool EventPublished { get; init; }
    public string? EventData { get; init; }
    public Dictionary<string, JsonElement>? ExtensionAttributes { get; init; }
    public string? StepName { get; init; }
    public int RetryCount { get; init; }
    public List<string>? Children { get; init; }
    public string? ContextItem { get; init; }
    public string? PredecessorId { get; init; }
    public string? Outcome { get; init; }
    public PointerStatus Status { get; init; }
    public List<string>? Scope { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Write(ExecutionPointerCollection pointers) =>
        JsonSerializer.Serialize(pointers.Select(From).ToList(), Json);

    public static ExecutionPointerCollection Read(string json)
    {
        var collection = new ExecutionPointerCollection();
        foreach (var p in JsonSerializer.Deserialize<List<PointerDocument>>(json, Json) ?? [])
            collection.Add(p.ToPointer());
        return collection;
    }

    private static PointerDocument From(ExecutionPointer p) => new()
    {
        Id = p.Id,
        StepId = p.StepId,
        Active = p.Active,
        SleepUntil = Utc(p.SleepUntil),
        PersistenceData = Text(p.PersistenceData),
        StartTime = Utc(p.StartTime),
        EndTime = Utc(p.EndTime),
        EventName = p.EventName,
        EventKey = p.EventKey,
        EventPublished = p.EventPublished,
        EventData = Text(p.EventData),
        ExtensionAttributes = p.ExtensionAttributes.Count == 0 ? null : p.ExtensionAttributes.ToDictionary(a => a.Key, a => JsonSerializer.SerializeToElement(a.Value, Json)),
        StepName = p.StepName,
        RetryCount = p.RetryCount,
        Children = p.Children.Count == 0 ? null : p.Children,
        ContextItem = Text(p.ContextItem),
        PredecessorId = p.PredecessorId,
        Outcome = Text(p.Outcome),
        Status = p.Status,
        Scope = p.Scope.Count == 0 ? null : [.. p.Scope],
    };

    private ExecutionPointer ToPointer() => new()
    {
        Id = Id,
        StepId = StepId,
        Active = Active,
        SleepUntil = SleepUntil,
        PersistenceData = PersistenceData,
        StartTime = StartTime,
        EndTime = EndTime,
        EventName = EventName,
        EventKey = EventKey,
        EventPublished = EventPublished,
        EventData = EventData,
        ExtensionAttributes = ExtensionAttributes?.ToDictionary(a => a.Key, a => (object)a.Value) ?? [],
        StepName = StepName,
        RetryCount = RetryCount,
        Children = Children ?? [],
        ContextItem = ContextItem,
        PredecessorId = PredecessorId,
        Outcome = Outcome,
        Status = Status,
        Scope = Scope ?? [],
    };

    /// <summary>Strings stay strings (outcomes, adapter state); anything else is stored as its JSON text.</summary>
    internal static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        _ => JsonSerializer.Serialize(value, value.GetType(), Json),
    };

    private static DateTime? Utc(DateTime? value) => value is { } v ? WorkflowClock.ToUtc(v) : null;
}
