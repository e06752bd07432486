using Microsoft.AspNetCore.Identity;
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

/// <summary>Password sign-in for the browser (cookie) and API clients (bearer token), audited either way.</summary>
public sealed class SignInService(SignInManager<TrialFlowUser> signIn, UserManager<TrialFlowUser> users, TrialFlowDbContext db, IHttpContextAccessor http)
{
    public async Task<SignInOutcome> SignInAsync(string userName, string password, bool bearer)
    {
        signIn.AuthenticationScheme = bearer ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme;
        var result = await signIn.PasswordSignInAsync(userName ?? "", password ?? "", isPersistent: false, lockoutOnFailure: true);
        var user = await users.FindByNameAsync(userName ?? "");
        var outcome = result.Succeeded ? SignInOutcome.SignedIn : result.IsLockedOut ? SignInOutcome.LockedOut : SignInOutcome.Failed;

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

    public async Task SignOutAsync(Actor actor)
    {
        await signIn.SignOutAsync();
        db.RecordEvent(AuditActions.SignOut, "User", actor.UserId, actor: actor);
        await db.SaveChangesAsync();
    }

    private async Task<string> PrimaryRoleAsync(TrialFlowUser user)
    {
        var roles = await users.GetRolesAsync(user);
        return TrialFlowRoles.All.FirstOrDefault(roles.Contains) ?? "None";
    }
}
