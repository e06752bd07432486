using Microsoft.AspNetCore.Identity;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Review.Service;

/// <summary>
/// Part 11 §11.200(a): a signature executed outside a continuous session's first signing re-enters the password. The
/// password is checked by Identity's hasher; failures count towards lockout like failed sign-ins and are audited.
/// </summary>
public sealed class SignatureVerifier(UserManager<TrialFlowUser> users, TrialFlowDbContext db)
{
    /// <summary>Returns the signer; throws <see cref="SignatureRejectedException"/> when the password is wrong or the account locked.</summary>
    public async Task<TrialFlowUser> VerifyAsync(Actor actor, string? password, string recordType, Guid recordId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(actor.UserId) ?? throw new SignatureRejectedException("The signer's account no longer exists; nothing was signed.");
        if (await users.IsLockedOutAsync(user))
            throw new SignatureRejectedException("The account is locked after repeated failed attempts; nothing was signed. Try again later or ask an administrator.");
        if (string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password))
        {
            // AccessFailedAsync saves through the same context: only the failure and its audit event are pending here.
            db.RecordEvent("SignatureRejected", recordType, recordId.ToString(), details: "wrong password at signing");
            await users.AccessFailedAsync(user);
            throw new SignatureRejectedException("The password is not correct; nothing was signed. The form is kept as a draft.");
        }
        await users.ResetAccessFailedCountAsync(user);
        return user;
    }
}

/// <summary>The signer could not be verified; nothing was signed.</summary>
public sealed class SignatureRejectedException(string message) : Exception(message);
