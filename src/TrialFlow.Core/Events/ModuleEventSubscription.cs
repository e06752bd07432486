using Microsoft.Extensions.DependencyInjection;

namespace TrialFlow.Core.Events;

/// <summary>One handler of one event type, as registered; the dispatcher's routing table is the set of these.</summary>
public sealed class ModuleEventSubscription
{
    private readonly Func<IServiceProvider, IModuleEvent, EventDelivery, CancellationToken, Task> _invoke;

    private ModuleEventSubscription(Type eventType, string handler, Func<IServiceProvider, IModuleEvent, EventDelivery, CancellationToken, Task> invoke)
    {
        EventType = eventType;
        Handler = handler;
        _invoke = invoke;
    }

    public Type EventType { get; }

    /// <summary>The name deliveries are recorded under.</summary>
    public string Handler { get; }

    public string EventName => OutboxMessage.NameOf(EventType);

    internal static ModuleEventSubscription Of<TEvent, THandler>()
        where TEvent : IModuleEvent where THandler : class, IModuleEventHandler<TEvent> =>
        new(typeof(TEvent), typeof(THandler).Name,
            (services, e, delivery, ct) => services.GetRequiredService<THandler>().HandleAsync((TEvent)e, delivery, ct));

    internal Task InvokeAsync(IServiceProvider services, IModuleEvent moduleEvent, EventDelivery delivery, CancellationToken cancellationToken) =>
        _invoke(services, moduleEvent, delivery, cancellationToken);
}
