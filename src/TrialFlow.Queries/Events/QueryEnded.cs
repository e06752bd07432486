using System.Text.Json.Serialization;
using TrialFlow.Core.Events;
using TrialFlow.Queries.Domain;

namespace TrialFlow.Queries.Events;

/// <summary>
/// A query ended: resolved, or cancelled before it was. <paramref name="WorkflowInstanceId"/> names the workflow that
/// raised it and waits for its end (null for a query a person raised).
/// </summary>
public sealed record QueryEnded(
    Guid QueryId,
    Guid TrialId,
    Guid SiteId,
    string Reference,
    [property: JsonConverter(typeof(JsonStringEnumConverter<QueryStatus>))] QueryStatus Status,
    string? WorkflowInstanceId,
    DateTime EndedAt) : IModuleEvent;
