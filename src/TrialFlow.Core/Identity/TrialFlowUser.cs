using Microsoft.AspNetCore.Identity;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Identity;

/// <summary>A person who signs in to TrialFlow: site staff, CRO and sponsor staff, readers, inspectors.</summary>
public sealed class TrialFlowUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The trial the user last switched to in the app bar; pages open on it while the user may still see it.</summary>
    public Guid? SelectedTrialId { get; set; }
}

/// <summary>Which sites a user belongs to. Site-scoped roles (SiteUser, Monitor) see only these sites.</summary>
public sealed class SiteMembership : ISiteOwned
{
    private SiteMembership() { }

    public SiteMembership(string userId, Guid siteId)
    {
        UserId = userId;
        SiteId = siteId;
    }

    public string UserId { get; private set; } = "";

    public Guid SiteId { get; private set; }
}
