namespace TrialFlow.Core.Trials;

/// <summary>
/// Where a site is in its life in the trial. Intake archives data only from an <see cref="Active"/> site; from any other
/// it holds what arrives in quarantine (reason SiteNotActive), never drops it.
/// </summary>
public enum SiteStatus
{
    /// <summary>Selected for the trial, not yet working on its qualification.</summary>
    Planned,

    /// <summary>Working through its activation checklist: training, agreements, qualification scans, a test transfer.</summary>
    Qualifying,

    /// <summary>Every required checklist item done: may send subject data.</summary>
    Active,

    /// <summary>Stopped for a while (a protocol deviation, an audit finding); may become Active again.</summary>
    Suspended,

    /// <summary>Finished in the trial; nothing more is archived from it.</summary>
    Closed,
}

/// <summary>A change of a site's <see cref="SiteStatus"/>: when, from what to what, and why. Who is in the audit trail.</summary>
public sealed class SiteStatusChange : ISiteOwned
{
    private SiteStatusChange() { }

    internal SiteStatusChange(Guid siteId, SiteStatus from, SiteStatus to, string reason, DateTime at)
    {
        Id = Guid.NewGuid();
        SiteId = siteId;
        From = from;
        To = to;
        Reason = reason;
        At = at;
    }

    public Guid Id { get; private set; }

    public Guid SiteId { get; private set; }

    public SiteStatus From { get; private set; }

    public SiteStatus To { get; private set; }

    public string Reason { get; private set; } = "";

    public DateTime At { get; private set; }
}

/// <summary>A status change the site's lifecycle does not allow; the message names both states and the allowed ones.</summary>
public sealed class SiteStatusException(string message) : InvalidOperationException(message);
