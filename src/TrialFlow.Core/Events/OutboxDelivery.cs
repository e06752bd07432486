namespace TrialFlow.Core.Events;

/// <summary>
/// One subscriber's progress with one event: delivered (so it is never given the event again after a success), or
/// failing, with the attempts and the last error where an operator can read it.
/// </summary>
public sealed class OutboxDelivery
{
    private OutboxDelivery() { }

    internal OutboxDelivery(Guid eventId, string handler)
    {
        EventId = eventId;
        Handler = handler;
    }

    public Guid EventId { get; private set; }

    /// <summary>The handler's name (its CLR name), stable across restarts.</summary>
    public string Handler { get; private set; } = "";

    public int Attempts { get; private set; }

    public DateTime? DeliveredAt { get; private set; }

    public DateTime? LastAttemptAt { get; private set; }

    public string? LastError { get; private set; }

    internal void Succeeded(DateTime at)
    {
        Attempts++;
        LastAttemptAt = at;
        DeliveredAt = at;
    }

    internal void Failed(DateTime at, Exception error)
    {
        Attempts++;
        LastAttemptAt = at;
        var text = $"{error.GetType().Name}: {error.Message}";
        LastError = text.Length > 2000 ? text[..2000] : text;
    }
}
