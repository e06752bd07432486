using Microsoft.EntityFrameworkCore;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Web.Intake;

/// <summary>
/// Decides many held objects with one reason. The batch is checked as a whole first and refused with nothing decided
/// when it is wrong (objects the caller cannot see, no reason, a subject missing or of another site); then every object
/// is decided on its own through <see cref="QuarantineDecisions"/>, each with its own audited decision and the same
/// reason, so one object failing neither stops nor undoes the others.
/// </summary>
public sealed class QuarantineBatchDecisions(IDbContextFactory<TrialFlowDbContext> contexts, QuarantineDecisions decisions)
{
    /// <summary>The most objects one request decides: a few large studies, still answered within a request.</summary>
    public const int MaxItems = 5000;

    /// <summary>
    /// Releases the objects to <paramref name="subjectId"/> (and visit), or, without a subject, sends them through intake
    /// again as they first came: allowed only when every one was held because processing failed.
    /// </summary>
    public async Task<QuarantineBatchResult> ReleaseAsync(QuarantineSelection selection, Guid? subjectId, Guid? visitId, string resolution, CancellationToken cancellationToken)
    {
        RequireReason(resolution, "resolution");
        var held = await SelectAsync(selection, cancellationToken);
        var open = held.Where(h => h.Status == QuarantineStatus.Open).ToList();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (subjectId is null)
                RequireReleasableAsItCame(open, visitId);
            else
                await RequireSubjectOfTheSiteAsync(db, open, subjectId.Value, visitId, cancellationToken);
        }

        return await DecideEachAsync(held, (db, item) => decisions.ReleaseAsync(db, item, subjectId, visitId, resolution, CancellationToken.None), cancellationToken);
    }

    /// <summary>Rejects the objects with one reason; their identified bytes are deleted.</summary>
    public async Task<QuarantineBatchResult> RejectAsync(QuarantineSelection selection, string reason, CancellationToken cancellationToken)
    {
        RequireReason(reason, "reason");
        var held = await SelectAsync(selection, cancellationToken);
        return await DecideEachAsync(held, (db, item) => decisions.RejectAsync(db, item, reason, CancellationToken.None), cancellationToken);
    }

    private async Task<List<Held>> SelectAsync(QuarantineSelection selection, CancellationToken cancellationToken)
    {
        if (selection.IsEmpty)
            throw new QuarantineBatchRefusedException("Choose the objects to decide: item ids or study keys.");
        var ids = selection.ItemIds.Distinct().ToList();
        var keys = selection.StudyKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Distinct(StringComparer.Ordinal).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The site filter hides other sites' objects: to this caller they do not exist, like ids that never did.
        var held = await db.QuarantineItems.AsNoTracking()
            .Where(q => ids.Contains(q.Id) || (q.StudyKey != null && keys.Contains(q.StudyKey) && q.Status == QuarantineStatus.Open))
            .Select(q => new Held(q.Id, q.SiteId, q.StudyKey, q.Reason, q.Status))
            .ToListAsync(cancellationToken);
        if (held.Count == 0)
            throw new QuarantineBatchRefusedException("None of the objects is held at a site you can see.", nothingFound: true);
        var unknown = ids.Except(held.Select(h => h.Id)).Select(id => id.ToString())
            .Concat(keys.Except(held.Select(h => h.StudyKey).OfType<string>(), StringComparer.Ordinal).Select(k => $"study {k}"))
            .ToList();
        // One unknown name makes the whole batch suspect (a stale page, a wrong site): nothing is decided.
        if (unknown.Count > 0)
            throw new QuarantineBatchRefusedException($"{unknown.Count} of the objects named are not held at a site you can see (or no longer open): {Sample(unknown)}. Nothing was decided.");
        if (held.Count > MaxItems)
            throw new QuarantineBatchRefusedException($"{held.Count} objects are more than one decision takes ({MaxItems}); decide them in parts.");
        return held;
    }

    private static void RequireReason(string? reason, string name)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new QuarantineBatchRefusedException($"A {name} is required: it is recorded with every object's decision.");
    }

    private static void RequireReleasableAsItCame(List<Held> open, Guid? visitId)
    {
        if (visitId is not null)
            throw new QuarantineBatchRefusedException("A visit can only be given with its subject.");
        var needSubject = open.Where(h => !QuarantineReasons.ReleasableAsItCame(h.Reason)).GroupBy(h => h.Reason).Select(g => $"{g.Count()} held as {g.Key}").ToList();
        if (needSubject.Count > 0)
            throw new QuarantineBatchRefusedException(
                $"A subject is required: {string.Join(", ", needSubject)}. Only objects held as {QuarantineReason.ProcessingFailed} or {QuarantineReason.SiteNotActive} go through intake again without one.");
    }

    private static async Task RequireSubjectOfTheSiteAsync(TrialFlowDbContext db, List<Held> open, Guid subjectId, Guid? visitId, CancellationToken cancellationToken)
    {
        var siteIds = open.Select(h => h.SiteId).Distinct().ToList();
        if (siteIds.Count > 1)
        {
            var numbers = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).OrderBy(s => s.SiteNumber).Select(s => s.SiteNumber).ToListAsync(cancellationToken);
            throw new QuarantineBatchRefusedException($"The objects come from sites {string.Join(", ", numbers)}; a subject belongs to one site. Release each site's objects on their own.");
        }

        var subjectSite = await db.Subjects.AsNoTracking().Where(s => s.Id == subjectId).Select(s => (Guid?)s.SiteId).SingleOrDefaultAsync(cancellationToken);
        if (subjectSite is null || siteIds.Any(site => site != subjectSite))
            throw new QuarantineBatchRefusedException("The subject must be a subject of the site that sent the objects.");
        if (visitId is { } visit && !await db.Visits.AnyAsync(v => v.Id == visit && v.SubjectId == subjectId, cancellationToken))
            throw new QuarantineBatchRefusedException("The visit must be a visit of that subject.");
    }

    private async Task<QuarantineBatchResult> DecideEachAsync(List<Held> held, Func<TrialFlowDbContext, QuarantineItem, Task> decide, CancellationToken cancellationToken)
    {
        var outcomes = new List<QuarantineItemOutcome>(held.Count);
        foreach (var candidate in held)
        {
            if (candidate.Status != QuarantineStatus.Open)
            {
                outcomes.Add(new QuarantineItemOutcome(candidate.Id, false, $"already {candidate.Status}"));
                continue;
            }

            // Cancellation stops between objects only: a decision once begun is saved, staged and cleaned up in full,
            // or the object would be recorded as released while its bytes sit in quarantine unsent.
            cancellationToken.ThrowIfCancellationRequested();
            // A context per object: a failed save leaves no half-changed entity behind for the next object's save.
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            try
            {
                var item = await db.QuarantineItems.SingleAsync(q => q.Id == candidate.Id, CancellationToken.None);
                await decide(db, item);
                outcomes.Add(new QuarantineItemOutcome(candidate.Id, true, null));
            }
            catch (Exception e) when (e is InvalidOperationException or DbUpdateException or IOException or EncryptedBlobException or IntakeRejectedException)
            {
                outcomes.Add(new QuarantineItemOutcome(candidate.Id, false, e.Message));
            }
        }

        return QuarantineBatchResult.Of(outcomes);
    }

    private static string Sample(List<string> names) => string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");

    private sealed record Held(Guid Id, Guid SiteId, string? StudyKey, QuarantineReason Reason, QuarantineStatus Status);
}
