using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TrialFlow.Core.Access;
using TrialFlow.Core.Audit;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Security;

public enum SignInOutcome
{
    SignedIn,
    Failed,
    LockedOut,
}

/// <summary>
/// Password sign-in for the browser (cookie) and API clients (bearer token), audited either way; token refresh;
/// sign-out, which ends every session of the user.
/// </summary>
public sealed class SignInService(
    SignInManager<TrialFlowUser> signIn, UserManager<TrialFlowUser> users, TrialFlowDbContext db, IHttpContextAccessor http,
    IOptionsMonitor<BearerTokenOptions> bearerOptions, TimeProvider time)
{
    public async Task<SignInOutcome> SignInAsync(string userName, string password, bool bearer)
    {
        signIn.AuthenticationScheme = bearer ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme;
        var result = await signIn.PasswordSignInAsync(userName ?? "", password ?? "", isPersistent: false, lockoutOnFailure: true);
        var user = await users.FindByNameAsync(userName ?? "");
        var outcome = result.Succeeded ? SignInOutcome.SignedIn : result.IsLockedOut ? SignInOutcome.LockedOut : SignInOutcome.Failed;
        // Someone is guessing the password: sessions already open (perhaps the guesser's) end with the lock-out.
        if (outcome == SignInOutcome.LockedOut && user is not null)
            await users.UpdateSecurityStampAsync(user);

        // The attempt is recorded whoever made it; an unknown user name is recorded as typed.
        var actor = user is null
            ? new Actor("anonymous", userName ?? "", "Anonymous", SiteScope.None)
            : new Actor(user.Id, string.IsNullOrEmpty(user.DisplayName) ? user.UserName! : user.DisplayName, await PrimaryRoleAsync(user), SiteScope.None);
        var action = outcome switch
        {
            SignInOutcome.SignedIn => AuditActions.SignIn,
            SignInOutcome.LockedOut => AuditActions.LockedOut,
            _ => AuditActions.SignInFailed,
        };
        var client = http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        db.RecordEvent(action, "User", user?.Id ?? userName ?? "", details: $$"""{"channel":"{{(bearer ? "token" : "browser")}}","client":"{{client}}"}""", actor: actor);
        await db.SaveChangesAsync();
        return outcome;
    }

    /// <summary>
    /// Signs out server-side: the new security stamp ends every cookie and token of the user, so a copied cookie
    /// or a kept token stops working too, not only the browser's own cookie that is deleted here.
    /// </summary>
    public async Task SignOutAsync(Actor actor)
    {
        await signIn.SignOutAsync();
        if (await users.FindByIdAsync(actor.UserId) is { } user)
            await users.UpdateSecurityStampAsync(user);
        db.RecordEvent(AuditActions.SignOut, "User", actor.UserId, actor: actor);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// A fresh principal (current roles and sites) for a refresh token that has not expired and whose security stamp
    /// is still the user's, the way Identity's own <c>/refresh</c> endpoint decides; null otherwise.
    /// </summary>
    public async Task<System.Security.Claims.ClaimsPrincipal?> RefreshAsync(string refreshToken)
    {
        var ticket = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(refreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires)
            return null;
        if (await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
            return null;
        return await signIn.CreateUserPrincipalAsync(user);
    }

    private async Task<string> PrimaryRoleAsync(TrialFlowUser user)
    {
        var roles = await users.GetRolesAsync(user);
        return TrialFlowRoles.All.FirstOrDefault(roles.Contains) ?? "None";
    }
}
