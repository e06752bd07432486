using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TrialFlow.Queries.Service;

namespace TrialFlow.Queries.Notifications;

public static class QueryNotificationsModule
{
    /// <summary>The escalation job and e-mail of notifications (off unless TrialFlow:Mail:Enabled), for a host that runs them.</summary>
    public static IServiceCollection AddTrialFlowQueryNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(QueryOptions.FromConfiguration(configuration));
        services.AddSingleton(MailOptions.FromConfiguration(configuration));
        services.AddSingleton<IQueryNotificationSender, SmtpQueryNotificationSender>();
        services.AddHostedService<QueryEscalationWorker>();
        return services;
    }
}
