namespace TrialFlow.Queries.Domain;

/// <summary>A refusal of the query module. Nothing was saved when one is thrown.</summary>
public abstract class QueryException(string message) : Exception(message);

/// <summary>The query's status does not allow the action (answering a closed query).</summary>
public sealed class QueryTransitionException(string reference, QueryStatus status, string action)
    : QueryException($"Query {reference} is {status}: it cannot be {action}. Nothing was saved.")
{
    public string Reference { get; } = reference;

    public QueryStatus Status { get; } = status;

    public string Action { get; } = action;
}

/// <summary>The actor's role may not take this action on this query (a site user resolving, an inspector answering).</summary>
public sealed class QueryPermissionException(string reference, string role, string action)
    : QueryException($"A {role} may not {action} query {reference}. Nothing was saved.")
{
    public string Reference { get; } = reference;
}

/// <summary>No query with that id is visible to the caller (it does not exist or belongs to another site).</summary>
public sealed class QueryNotFoundException(Guid queryId) : QueryException($"Query {queryId} does not exist or is outside your sites.")
{
    public Guid QueryId { get; } = queryId;
}
