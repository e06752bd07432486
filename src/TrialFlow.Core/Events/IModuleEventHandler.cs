namespace TrialFlow.Core.Events;

/// <summary>
/// Reacts to <typeparamref name="TEvent"/> after the change that raised it committed. Delivery is at least once (a
/// crash after the handler ran but before its delivery was recorded runs it again, and two nodes may both run it), so
/// a handler must be idempotent: keyed by <see cref="EventDelivery.EventId"/> or by the state it changes.
/// Register with <see cref="EventsServiceCollectionExtensions.AddModuleEventHandler{TEvent, THandler}"/>.
/// </summary>
public interface IModuleEventHandler<in TEvent> where TEvent : IModuleEvent
{
    Task HandleAsync(TEvent moduleEvent, EventDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>Which event is being delivered, and which attempt of this handler this is (1 for the first).</summary>
public sealed record EventDelivery(Guid EventId, DateTime OccurredAt, int Attempt);
