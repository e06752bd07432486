using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Trials;

/// <summary>
/// Adding people to trials and taking them off, for the users API and page. Audited with the save; applied on this node
/// from the person's next request and on the others within <see cref="TrialDirectory.Lifetime"/>.
/// </summary>
public static class TrialMemberships
{
    /// <summary>False when the user or the trial does not exist (or is not the caller's to see).</summary>
    public static async Task<bool> AddAsync(TrialFlowDbContext db, TrialDirectory directory, string userId, Guid trialId, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken) || !await db.Trials.AnyAsync(t => t.Id == trialId, cancellationToken))
            return false;
        if (!await db.TrialMemberships.AnyAsync(m => m.UserId == userId && m.TrialId == trialId, cancellationToken))
        {
            db.TrialMemberships.Add(new TrialMembership(userId, trialId));
            await db.SaveChangesAsync(cancellationToken);
        }

        directory.Forget();
        return true;
    }

    /// <summary>False when the user is not a member of the trial.</summary>
    public static async Task<bool> RemoveAsync(TrialFlowDbContext db, TrialDirectory directory, string userId, Guid trialId, CancellationToken cancellationToken)
    {
        var membership = await db.TrialMemberships.SingleOrDefaultAsync(m => m.UserId == userId && m.TrialId == trialId, cancellationToken);
        if (membership is null)
            return false;
        db.TrialMemberships.Remove(membership);
        await db.SaveChangesAsync(cancellationToken);
        directory.Forget();
        return true;
    }
}
