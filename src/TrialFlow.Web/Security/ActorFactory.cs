using System.Security.Claims;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;

namespace TrialFlow.Web.Security;

/// <summary>Derives the audit actor and site scope from a signed-in user's claims.</summary>
public static class ActorFactory
{
    public const string SiteClaim = "trialflow:site";
    public const string DisplayNameClaim = "trialflow:name";

    public static Actor FromPrincipal(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
            return Actor.Anonymous;
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        // The role recorded is the most privileged one the user holds, in the order TrialFlowRoles lists them.
        var role = TrialFlowRoles.All.FirstOrDefault(roles.Contains) ?? "None";
        var scope = TrialFlowRoles.TrialWide.Any(roles.Contains)
            ? SiteScope.Unrestricted
            : TrialFlowRoles.SiteScoped.Any(roles.Contains)
                ? SiteScope.Of(principal.FindAll(SiteClaim).Select(c => Guid.Parse(c.Value)))
                : SiteScope.None;
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
        var name = principal.FindFirstValue(DisplayNameClaim) ?? principal.Identity.Name ?? id;
        return new Actor(id, name, role, scope);
    }
}
