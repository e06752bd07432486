using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Domain;
using TrialFlow.Retrieval.Domain;

namespace TrialFlow.Retrieval.Jobs;

/// <summary>One study of a pull (or a cohort row that brings none) with what intake made of what arrived.</summary>
public sealed record PullItemView(
    Guid Id, int Line, string SubjectKey, string MatchedBy, DateOnly? StudyDate, string Modalities, int? Series, int? ExpectedInstances, PullItemState State,
    int Attempts, DateTime? NextAttemptAt, int Received, int NotReceived, int Archived, int Duplicates, int Held, string? Problem, string? LastError);

/// <summary>A subject's share of a pull: the progress bar per subject.</summary>
public sealed record PullSubjectView(string SubjectKey, int Studies, int Retrieved, int Failed, int NotPlanned, int ExpectedInstances, int Received, int Archived, int Held);

/// <summary>Why objects of a pull are held, and how many.</summary>
public sealed record PullHoldView(string Reason, int Objects);

/// <summary>
/// A pull as a person follows it: found (planned studies and instances), retrieved (acknowledged into intake), archived,
/// held and why, failed and why. <see cref="Succeeded"/>: the job completed, no study failed, and intake settled every object
/// that arrived (archived, recognized as a duplicate, or held with a reason).
/// </summary>
public sealed record PullSummary(
    Guid Id, Guid SiteId, string SiteNumber, PullMethod Method, PullJobState State, string Pacs, string CohortFileName, string CohortSha256, string CreatedBy,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, int MaxConcurrentStudies, long? MaxBytesPerSecond,
    int Studies, int StudiesRetrieved, int StudiesFailed, int StudiesPending, int RowsNotPlanned,
    int ExpectedInstances, int Received, int Archived, int Duplicates, int Held, int Processing, bool Settled, bool Succeeded,
    IReadOnlyList<PullSubjectView> Subjects, IReadOnlyList<PullHoldView> Holds, IReadOnlyList<PullItemView> Items)
{
    /// <summary>The summary of a job the caller may see, or null.</summary>
    public static async Task<PullSummary?> LoadAsync(TrialFlowDbContext db, Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.PullJobs.AsNoTracking().Include(j => j.Items).AsSplitQuery().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
            return null;
        var siteNumber = await db.Sites.Where(s => s.Id == job.SiteId).Select(s => s.SiteNumber).SingleAsync(cancellationToken);
        var references = job.Items.Select(i => i.ClientReference).ToList();
        var receipts = await db.IntakeReceipts.AsNoTracking().Where(r => r.ClientReference != null && references.Contains(r.ClientReference))
            .Select(r => new { r.ClientReference, r.Outcome, r.Reason }).ToListAsync(cancellationToken);
        var byItem = receipts.ToLookup(r => r.ClientReference!);

        var items = job.Items.OrderBy(i => i.Line).ThenBy(i => i.StudyDate).Select(i =>
        {
            var settled = byItem[i.ClientReference].ToList();
            return new PullItemView(i.Id, i.Line, i.SubjectKey, i.MatchedBy, i.StudyDate, i.Modalities, i.ExpectedSeries, i.ExpectedInstances, i.State, i.Attempts,
                i.NextAttemptAt, i.Received, i.NotReceived, settled.Count(r => r.Outcome == IntakeOutcome.Archived), settled.Count(r => r.Outcome == IntakeOutcome.Duplicate),
                settled.Count(r => r.Outcome == IntakeOutcome.Quarantined), i.Problem, i.LastError);
        }).ToList();
        var studies = items.Where(i => i.State != PullItemState.NotPlanned).ToList();
        var (received, archived, duplicates, held) = (studies.Sum(i => i.Received), studies.Sum(i => i.Archived), studies.Sum(i => i.Duplicates), studies.Sum(i => i.Held));
        // A retried study arrives again: what settled can exceed what the last attempt received.
        var processing = Math.Max(0, received - archived - duplicates - held);
        var failed = studies.Count(i => i.State == PullItemState.Failed);
        var subjects = items.GroupBy(i => i.SubjectKey).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new PullSubjectView(g.Key,
            g.Count(i => i.State != PullItemState.NotPlanned), g.Count(i => i.State == PullItemState.Retrieved), g.Count(i => i.State == PullItemState.Failed),
            g.Count(i => i.State == PullItemState.NotPlanned), g.Sum(i => i.ExpectedInstances ?? 0), g.Sum(i => i.Received), g.Sum(i => i.Archived), g.Sum(i => i.Held))).ToList();
        var holds = receipts.Where(r => r.Outcome == IntakeOutcome.Quarantined)
            .GroupBy(r => r.Reason?.Split(':')[0] ?? "unknown").Select(g => new PullHoldView(g.Key, g.Count())).OrderByDescending(h => h.Objects).ToList();
        var settledAll = processing == 0 && job.State is PullJobState.Completed or PullJobState.Cancelled;
        return new PullSummary(job.Id, job.SiteId, siteNumber, job.Method, job.State, job.Pacs, job.CohortFileName, job.CohortSha256, job.CreatedBy,
            job.CreatedAt, job.StartedAt, job.FinishedAt, job.MaxConcurrentStudies, job.MaxBytesPerSecond,
            studies.Count, studies.Count(i => i.State == PullItemState.Retrieved), failed, studies.Count(i => i.State is PullItemState.Pending or PullItemState.Retrieving),
            items.Count(i => i.State == PullItemState.NotPlanned), studies.Sum(i => i.ExpectedInstances ?? 0), received, archived, duplicates, held, processing,
            settledAll, settledAll && job.State == PullJobState.Completed && failed == 0, subjects, holds, items);
    }

    /// <summary>The jobs the caller may see, newest first (optionally of one site).</summary>
    public static async Task<IReadOnlyList<PullJobListing>> ListAsync(TrialFlowDbContext db, Guid? siteId, CancellationToken cancellationToken) =>
        await db.PullJobs.AsNoTracking().Where(j => siteId == null || j.SiteId == siteId)
            .Join(db.Sites, j => j.SiteId, s => s.Id, (j, s) => new { j, s.SiteNumber })
            .OrderByDescending(x => x.j.CreatedAt).Take(200)
            .Select(x => new PullJobListing(x.j.Id, x.j.SiteId, x.SiteNumber, x.j.Method, x.j.State, x.j.Pacs, x.j.CohortFileName, x.j.CreatedBy, x.j.CreatedAt, x.j.FinishedAt,
                x.j.Items.Count(i => i.State != PullItemState.NotPlanned), x.j.Items.Count(i => i.State == PullItemState.Retrieved),
                x.j.Items.Count(i => i.State == PullItemState.Failed), x.j.Items.Sum(i => i.ExpectedInstances ?? 0), x.j.Items.Sum(i => i.Received)))
            .ToListAsync(cancellationToken);
}

public sealed record PullJobListing(Guid Id, Guid SiteId, string SiteNumber, PullMethod Method, PullJobState State, string Pacs, string CohortFileName, string CreatedBy,
    DateTime CreatedAt, DateTime? FinishedAt, int Studies, int Retrieved, int Failed, int ExpectedInstances, int Received);
