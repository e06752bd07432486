using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Notifications;

/// <summary>
/// An in-app notice to the holders of a role who see a site (data managers, say), about something that needs a
/// person: an object intake could not process, for instance. Queries and workflows keep their own notices; this one is
/// for the platform's own problems. It never carries PHI.
/// </summary>
public sealed class StaffNotification : ISiteOwned
{
    private StaffNotification() { }

    public StaffNotification(Guid trialId, Guid siteId, string recipientRole, string title, string message, string? link, DateTime createdAt)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        SiteId = siteId;
        RecipientRole = Guard.Required(recipientRole, nameof(recipientRole));
        Title = Clip(Guard.Required(title, nameof(title)), 200);
        Message = Clip(message, 2000);
        Link = link;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public string RecipientRole { get; private set; } = "";

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    /// <summary>Where in the app the person acts on it, e.g. <c>/quarantine</c>.</summary>
    public string? Link { get; private set; }

    public DateTime CreatedAt { get; private set; }

    private static string Clip(string text, int length) => text.Length > length ? text[..length] : text;
}
