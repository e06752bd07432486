using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TrialFlow.Core.Identity;

namespace TrialFlow.Web.Security;

/// <summary>
/// Refuses a bearer access token whose security stamp is no longer its user's. The token carries the stamp and the
/// roles and sites of the moment it was issued; a role or site change, a new password, a lock-out or a sign-out
/// updates the stamp, so the stale token stops working within <see cref="SessionOptions.StampCheckInterval"/>
/// (21 CFR Part 11 §11.10(d), (g)). Cookies get the same check from Identity's security stamp validator.
/// </summary>
internal sealed class RevokedTokenMiddleware(RequestDelegate next, SecurityStampCache stamps, IOptions<IdentityOptions> identity)
{
    public async Task InvokeAsync(HttpContext context, UserManager<TrialFlowUser> users)
    {
        if (Credentials.CarriesBearerToken(context.Request) && context.User.Identity?.IsAuthenticated == true
            && !await IsCurrentAsync(context.User, users))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"The session was ended\"";
            await TypedResults.Problem(
                title: "Session ended",
                detail: "This token's session was ended (role, site membership or password changed, account locked, or signed out). Sign in again.",
                statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, UserManager<TrialFlowUser> users)
    {
        var userId = principal.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType);
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (userId is null || stamp is null)
            return false;
        var current = await stamps.CurrentAsync(userId, async id =>
            await users.FindByIdAsync(id) is { } user ? await users.GetSecurityStampAsync(user) : null);
        return string.Equals(current, stamp, StringComparison.Ordinal);
    }
}
