using TrialFlow.Queries.Domain;

namespace TrialFlow.Queries.Service;

/// <summary>Delivers in-app notifications outside the app too (e-mail), after they were saved.</summary>
public interface IQueryNotificationSender
{
    Task SendAsync(QueryNotification notification, Query query, CancellationToken cancellationToken);
}
