using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Trials;

/// <summary>A trial the caller may see, as the switcher lists it.</summary>
public sealed record TrialChoice(Guid Id, string ProtocolId, string Title);

/// <summary>
/// The trial the pages show: the one the user last chose in the app bar's switcher while they may still see it, else
/// the first of their trials by protocol id. Trials the user may not see never come back (the trial filter).
/// </summary>
public sealed class CurrentTrial(IDbContextFactory<TrialFlowDbContext> contexts, IActorAccessor actor)
{
    public async Task<IReadOnlyList<TrialChoice>> ChoicesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Trials.AsNoTracking().OrderBy(t => t.ProtocolId)
            .Select(t => new TrialChoice(t.Id, t.ProtocolId, t.Title)).ToListAsync(cancellationToken);
    }

    /// <summary>The trial to show, or null when the caller sees none; <paramref name="choices"/> when the caller has them already.</summary>
    public async Task<TrialChoice?> GetAsync(IReadOnlyList<TrialChoice>? choices = null, CancellationToken cancellationToken = default)
    {
        choices ??= await ChoicesAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var userId = actor.Current.UserId;
        var selected = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SelectedTrialId).SingleOrDefaultAsync(cancellationToken);
        return choices.FirstOrDefault(c => c.Id == selected) ?? choices.FirstOrDefault();
    }

    public async Task<Guid?> IdAsync(CancellationToken cancellationToken = default) => (await GetAsync(null, cancellationToken))?.Id;

    /// <summary>Remembers <paramref name="trialId"/> as the user's trial; false when they may not see it.</summary>
    public async Task<bool> SelectAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Trials.AnyAsync(t => t.Id == trialId, cancellationToken))
            return false;
        var userId = actor.Current.UserId;
        if (await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) is not { } user)
            return false;
        user.SelectedTrialId = trialId;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
