using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TrialFlow.Core.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// The outbox dispatcher and (with <paramref name="runInBackground"/>) the hosted service that runs it after each
    /// commit and on a sweep. Tests leave it off and call <see cref="OutboxDispatcher.DispatchPendingAsync"/>.
    /// </summary>
    public static IServiceCollection AddTrialFlowEvents(this IServiceCollection services, IConfiguration configuration, bool runInBackground = true)
    {
        services.TryAddSingleton(OutboxOptions.FromConfiguration(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxDispatcher>();
        if (runInBackground)
            services.AddHostedService<OutboxDispatcherService>();
        return services;
    }

    /// <summary>Subscribes <typeparamref name="THandler"/> to <typeparamref name="TEvent"/>; the handler is resolved per delivery.</summary>
    public static IServiceCollection AddModuleEventHandler<TEvent, THandler>(this IServiceCollection services)
        where TEvent : IModuleEvent where THandler : class, IModuleEventHandler<TEvent>
    {
        services.TryAddTransient<THandler>();
        services.AddSingleton(ModuleEventSubscription.Of<TEvent, THandler>());
        return services;
    }
}
