using System.Text.Json;

namespace TrialFlow.Core.Events;

/// <summary>
/// An event waiting for (or done with) delivery. Written in the transaction of the change that raised it, so an event
/// exists exactly when its change committed.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage() { }

    internal OutboxMessage(IModuleEvent moduleEvent, DateTime occurredAt)
    {
        Id = Guid.CreateVersion7(occurredAt);
        Type = NameOf(moduleEvent.GetType());
        Payload = JsonSerializer.Serialize(moduleEvent, moduleEvent.GetType());
        OccurredAt = occurredAt;
    }

    /// <summary>The event id handlers are keyed by.</summary>
    public Guid Id { get; private set; }

    /// <summary>The event's name (its CLR name, e.g. <c>StudyCompleted</c>).</summary>
    public string Type { get; private set; } = "";

    public string Payload { get; private set; } = "";

    public DateTime OccurredAt { get; private set; }

    /// <summary>When every subscriber had it; null while some subscriber has not.</summary>
    public DateTime? DispatchedAt { get; private set; }

    /// <summary>
    /// No dispatcher takes the event before this: a claim by one dispatcher (its lease) or the backoff after a failure.
    /// </summary>
    public DateTime? NextAttemptAt { get; private set; }

    public static string NameOf(Type eventType) => eventType.Name;

    internal void MarkDispatched(DateTime at)
    {
        DispatchedAt = at;
        NextAttemptAt = null;
    }

    internal void RetryAt(DateTime at) => NextAttemptAt = at;
}
