using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Core.Access;

/// <summary>
/// Who works on which trial and which sites each trial has: what turns a signed-in person into the trials and sites
/// they see. Read for every signed-in request, so kept in memory; looked up again at most every <see cref="Lifetime"/>,
/// so a membership removed or a site onboarded on another node applies within seconds, and at once on the node that
/// changed it (<see cref="Forget"/>). Not carried in the sign-in cookie or token: a trial created or left applies
/// without signing in again, and without ending the person's other sessions.
/// </summary>
public sealed class TrialDirectory(DatabaseOptions options, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private (DateTimeOffset LoadedAt, Snapshot Data)? _loaded;
    private int _generation;

    /// <summary>
    /// Changes whenever what is kept changes (looked up again, or forgotten after a change on this node): an actor worked
    /// out before is then to be worked out again, also in an open page's long-lived circuit.
    /// </summary>
    public int Generation
    {
        get
        {
            Current();
            return Volatile.Read(ref _generation);
        }
    }

    private sealed record Snapshot(ILookup<string, Guid> TrialsByUser, ILookup<Guid, Guid> SitesByTrial);

    /// <summary>The trials <paramref name="userId"/> is a member of.</summary>
    public IReadOnlyCollection<Guid> TrialsOf(string userId) => Current().TrialsByUser[userId].ToArray();

    /// <summary>The sites of <paramref name="trialIds"/>.</summary>
    public IReadOnlyCollection<Guid> SitesOf(IReadOnlyCollection<Guid> trialIds)
    {
        if (trialIds.Count == 0)
            return [];
        var sites = Current().SitesByTrial;
        return trialIds.SelectMany(t => sites[t]).ToArray();
    }

    /// <summary>Drops what is kept, after this node changed a membership or a trial's sites.</summary>
    public void Forget()
    {
        lock (_gate)
            _loaded = null;
        Interlocked.Increment(ref _generation);
    }

    private Snapshot Current()
    {
        lock (_gate)
        {
            if (_loaded is { } loaded && time.GetUtcNow() - loaded.LoadedAt < Lifetime)
                return loaded.Data;
        }

        // Synchronous: the actor is resolved inside synchronous code paths (query filters, claims); two small queries.
        using var db = DatabaseServiceCollectionExtensions.CreateContext(options, Actor.System("trial-directory"), time);
        var members = db.TrialMemberships.AsNoTracking().Select(m => new { m.UserId, m.TrialId }).ToList();
        var sites = db.Sites.AsNoTracking().Select(s => new { s.Id, s.TrialId }).ToList();
        var data = new Snapshot(members.ToLookup(m => m.UserId, m => m.TrialId, StringComparer.Ordinal), sites.ToLookup(s => s.TrialId, s => s.Id));
        lock (_gate)
            _loaded = (time.GetUtcNow(), data);
        Interlocked.Increment(ref _generation);
        return data;
    }
}
