using System.Security.Claims;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;

namespace TrialFlow.Web.Security;

/// <summary>Derives the audit actor and its trial and site scope from a signed-in user's claims and trial memberships.</summary>
public static class ActorFactory
{
    public const string SiteClaim = "trialflow:site";
    public const string DisplayNameClaim = "trialflow:name";

    public static Actor FromPrincipal(ClaimsPrincipal principal, TrialDirectory directory)
    {
        if (principal.Identity?.IsAuthenticated != true)
            return Actor.Anonymous;
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
        return new Actor(id, NameOf(principal), RoleOf(principal), ScopeOf(principal, id, roles, directory));
    }

    /// <summary>The role recorded: the most privileged one the user holds, in the order TrialFlowRoles lists them.</summary>
    public static string RoleOf(ClaimsPrincipal principal) =>
        TrialFlowRoles.All.FirstOrDefault(r => principal.HasClaim(ClaimTypes.Role, r)) ?? "None";

    public static string NameOf(ClaimsPrincipal principal) =>
        principal.FindFirstValue(DisplayNameClaim) ?? principal.Identity?.Name ?? principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";

    private static SiteScope ScopeOf(ClaimsPrincipal principal, string userId, HashSet<string> roles, TrialDirectory directory)
    {
        // Administrators run the installation: every trial, including one created a moment ago.
        if (roles.Contains(TrialFlowRoles.Administrator))
            return SiteScope.Unrestricted;
        // Looked up, not carried in the cookie or token: a trial joined or left applies within seconds (TrialDirectory).
        var trials = directory.TrialsOf(userId);
        if (TrialFlowRoles.TrialWide.Any(roles.Contains))
            return SiteScope.Of(trials, directory.SitesOf(trials));
        if (TrialFlowRoles.SiteScoped.Any(roles.Contains))
        {
            // Only member sites that lie in the person's trials: a site membership alone does not open a trial.
            var inTrials = directory.SitesOf(trials).ToHashSet();
            return SiteScope.Of(trials, principal.FindAll(SiteClaim).Select(c => Guid.Parse(c.Value)).Where(inTrials.Contains));
        }

        // Blinded readers and adjudicators: their trials' read tasks, never a site or subject record.
        return TrialFlowRoles.Blinded.Any(roles.Contains) ? SiteScope.Of(trials, []) : SiteScope.None;
    }
}
