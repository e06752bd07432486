using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Security;

/// <summary>Adds the user's display name and site memberships to the sign-in cookie or token.</summary>
internal sealed class TrialFlowClaimsPrincipalFactory(
    UserManager<TrialFlowUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, TrialFlowDbContext db)
    : UserClaimsPrincipalFactory<TrialFlowUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(TrialFlowUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ActorFactory.DisplayNameClaim, string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName));
        var sites = await db.SiteMemberships.Where(m => m.UserId == user.Id).Select(m => m.SiteId).ToListAsync();
        identity.AddClaims(sites.Select(s => new Claim(ActorFactory.SiteClaim, s.ToString())));
        return identity;
    }
}
