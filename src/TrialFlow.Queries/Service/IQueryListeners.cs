using TrialFlow.Queries.Domain;
namespace TrialFlow.Queries.Service;

/// <summary>
/// Told after the save when a query raised by a workflow ends (resolved or cancelled), so the waiting workflow resumes.
/// Implemented by the workflow runtime; a failure leaves <see cref="Query.EndEventPending"/> set for a later retry.
/// </summary>
public interface IQueryEndListener
{
    Task QueryEndedAsync(Guid queryId, string workflowInstanceId, QueryStatus status, CancellationToken cancellationToken);
}

/// <summary>Delivers in-app notifications outside the app too (e-mail), after they were saved.</summary>
public interface IQueryNotificationSender
{
    Task SendAsync(QueryNotification notification, Query query, CancellationToken cancellationToken);
}
