using TrialFlow.Core.Trials;

namespace TrialFlow.Queries.Domain;

/// <summary>
/// An in-app notice about a query for a role at the query's site (raised, answered, reopened, escalated...). Shown in
/// the inboxes of the users with that role who see the site; e-mailed too when the SMTP sender is on.
/// </summary>
public sealed class QueryNotification : ISiteOwned
{
    private QueryNotification() { }

    public QueryNotification(Query query, string recipientRole, string title, DateTime createdAt)
    {
        Id = Guid.NewGuid();
        QueryId = query.Id;
        SiteId = query.SiteId;
        TrialId = query.TrialId;
        RecipientRole = recipientRole;
        Title = title.Length > 200 ? title[..200] : title;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid QueryId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid TrialId { get; private set; }

    public string RecipientRole { get; private set; } = "";

    public string Title { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }
}
