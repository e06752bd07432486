using TrialFlow.Core.Identity;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Persistence;

/// <summary>
/// Which records the data layer filters by the actor's sites: every <see cref="ISiteOwned"/> entity of every module,
/// by convention, except those named here with the reason. A test checks the model against this rule.
/// </summary>
public static class SiteFilter
{
    /// <summary>Site-owned types that are deliberately not filtered on read (writes are still checked), and why.</summary>
    public static IReadOnlyDictionary<Type, string> Exempt { get; } = new Dictionary<Type, string>
    {
        [typeof(SiteMembership)] = "read while a user signs in, to build the site scope the filter needs; " +
                                   "a filter here would hide a user's own memberships from the sign-in that computes them",
    };

    public static bool Applies(Type entityType) => typeof(ISiteOwned).IsAssignableFrom(entityType) && !Exempt.ContainsKey(entityType);

    /// <summary>The mapped column that holds the site: a site is its own site.</summary>
    public static string ColumnOf(Type entityType) => entityType == typeof(Site) ? nameof(Site.Id) : nameof(ISiteOwned.SiteId);
}
