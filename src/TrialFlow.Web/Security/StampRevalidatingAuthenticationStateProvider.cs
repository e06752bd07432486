using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;

namespace TrialFlow.Web.Security;

/// <summary>
/// Re-checks the user of an open interactive page (a Blazor circuit) against the account's security stamp every
/// <see cref="SessionOptions.StampCheckInterval"/>: a role or site change, a new password, a lock-out or a sign-out
/// elsewhere ends the session of a page that stays open, as it ends the cookie's and the tokens'.
/// </summary>
internal sealed class StampRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IOptions<SessionOptions> sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => sessions.Value.StampCheckInterval > TimeSpan.Zero
        ? sessions.Value.StampCheckInterval
        : TimeSpan.FromSeconds(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
        StillValidAsync(state.User);

    /// <summary>True while the account exists, is not locked out and has the security stamp the page signed in with.</summary>
    internal async Task<bool> StillValidAsync(ClaimsPrincipal principal)
    {
        await using var scope = scopes.CreateAsyncScope();
        // A timer runs this, outside any request or circuit: the lookup acts as the system, not as nobody.
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("session-revalidation"));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        return await StampStillValidAsync(users, principal);
    }

    private async Task<bool> StampStillValidAsync(UserManager<TrialFlowUser> users, ClaimsPrincipal principal)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null || (users.SupportsUserLockout && await users.IsLockedOutAsync(user)))
            return false;
        if (!users.SupportsUserSecurityStamp)
            return true;
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}
