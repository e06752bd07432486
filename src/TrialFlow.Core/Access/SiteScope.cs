namespace TrialFlow.Core.Access;

/// <summary>
/// The sites the current caller may see. The DbContext filters every site-owned record by it and refuses
/// to save changes outside it, so a page or endpoint that forgets a check still cannot leak or alter
/// another site's data.
/// </summary>
public sealed class SiteScope
{
    private SiteScope(bool unrestricted, IReadOnlyCollection<Guid> siteIds)
    {
        IsUnrestricted = unrestricted;
        SiteIds = siteIds;
    }

    /// <summary>Every site (trial-wide roles, system work such as intake and migrations).</summary>
    public static SiteScope Unrestricted { get; } = new(true, []);

    /// <summary>No site at all (anonymous callers, blinded readers).</summary>
    public static SiteScope None { get; } = new(false, []);

    public static SiteScope Of(IEnumerable<Guid> siteIds) => new(false, siteIds.Distinct().ToArray());

    public bool IsUnrestricted { get; }

    public IReadOnlyCollection<Guid> SiteIds { get; }

    public bool Allows(Guid siteId) => IsUnrestricted || SiteIds.Contains(siteId);

    public override string ToString() => IsUnrestricted ? "all sites" : $"sites [{string.Join(", ", SiteIds)}]";
}

/// <summary>A write touched a record of a site outside the caller's scope. Nothing was saved.</summary>
public sealed class SiteAccessDeniedException(string entityType, string entityId, Guid siteId)
    : InvalidOperationException($"{entityType} {entityId} belongs to site {siteId}, which is outside the caller's site scope; nothing was saved.")
{
    public Guid SiteId { get; } = siteId;
}
