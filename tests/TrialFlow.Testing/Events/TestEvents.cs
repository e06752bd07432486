using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TrialFlow.Core.Events;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Testing;

/// <summary>
/// An outbox dispatcher the test runs itself (<see cref="OutboxDispatcher.DispatchPendingAsync"/>), so a test says when
/// events are delivered instead of waiting for a background service.
/// </summary>
public static class TestEvents
{
    /// <param name="handlers">Registers the subscribers (<c>AddModuleEventHandler</c>) and what they need.</param>
    public static OutboxDispatcher Dispatcher(DatabaseOptions database, TimeProvider time, Action<IServiceCollection> handlers, OutboxOptions? options = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(database)
            .AddSingleton(time)
            .AddSingleton(options ?? new OutboxOptions())
            .AddTrialFlowEvents(new ConfigurationBuilder().Build(), runInBackground: false);
        handlers(services);
        return services.BuildServiceProvider().GetRequiredService<OutboxDispatcher>();
    }
}
