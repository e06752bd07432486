namespace TrialFlow.Core.Access;

/// <summary>
/// The trials and sites the current caller may see. The DbContext filters every site-owned record by the sites and
/// every trial-owned record by the trials, and refuses to save changes outside them, so a page or endpoint that
/// forgets a check still cannot leak or alter another site's or another trial's data.
/// </summary>
/// <remarks>
/// The sites are always within the trials: a trial-wide role on trial A holds the sites of A, a site user the sites
/// they are members of in their trials, a blinded reader no site at all but the trials whose reads they are assigned.
/// </remarks>
public sealed class SiteScope
{
    private SiteScope(bool unrestricted, IReadOnlyCollection<Guid> siteIds, IReadOnlyCollection<Guid> trialIds)
    {
        IsUnrestricted = unrestricted;
        SiteIds = siteIds;
        TrialIds = trialIds;
    }

    /// <summary>Every trial and site (administrators, system work such as intake and migrations).</summary>
    public static SiteScope Unrestricted { get; } = new(true, [], []);

    /// <summary>No trial and no site at all (anonymous callers).</summary>
    public static SiteScope None { get; } = new(false, [], []);

    /// <summary>The given sites of the given trials (no site: trial-level records only, as a blinded reader).</summary>
    public static SiteScope Of(IEnumerable<Guid> trialIds, IEnumerable<Guid> siteIds) =>
        new(false, siteIds.Distinct().ToArray(), trialIds.Distinct().ToArray());

    public bool IsUnrestricted { get; }

    public IReadOnlyCollection<Guid> SiteIds { get; }

    public IReadOnlyCollection<Guid> TrialIds { get; }

    public bool Allows(Guid siteId) => IsUnrestricted || SiteIds.Contains(siteId);

    public bool AllowsTrial(Guid trialId) => IsUnrestricted || TrialIds.Contains(trialId);

    public override string ToString() => IsUnrestricted ? "all trials and sites" : $"trials [{string.Join(", ", TrialIds)}], sites [{string.Join(", ", SiteIds)}]";
}

/// <summary>A write touched a record of a site outside the caller's scope. Nothing was saved.</summary>
public sealed class SiteAccessDeniedException(string entityType, string entityId, Guid siteId)
    : InvalidOperationException($"{entityType} {entityId} belongs to site {siteId}, which is outside the caller's site scope; nothing was saved.")
{
    public Guid SiteId { get; } = siteId;
}

/// <summary>A write touched a record of a trial outside the caller's scope. Nothing was saved.</summary>
public sealed class TrialAccessDeniedException(string entityType, string entityId, Guid trialId)
    : InvalidOperationException($"{entityType} {entityId} belongs to trial {trialId}, which is outside the caller's trials; nothing was saved.")
{
    public Guid TrialId { get; } = trialId;
}
