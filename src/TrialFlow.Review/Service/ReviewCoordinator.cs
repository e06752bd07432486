using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Adjudication;
using TrialFlow.Review.Assignment;

namespace TrialFlow.Review.Service;

/// <summary>The readers chosen for a timepoint's tasks, and what the pool could not fill.</summary>
public sealed record AssignmentOutcome(IReadOnlyList<ReadTask> Tasks, string? Shortfall);

/// <summary>How two independent reads of a timepoint compare: agreement, or the adjudication they went to.</summary>
public sealed record ComparisonOutcome(bool Agree, IReadOnlyList<string> Differences, TrialFlow.Review.Domain.Adjudication? Adjudication);

/// <summary>
/// The review's steps as the workflow runs them: assign readers, compare their reads, open an adjudication. Methods
/// change the given context and leave the save to the caller, so a workflow step saves its change with its audit
/// reason under the engine's write lock. Each step is idempotent: what exists already is returned, not made again.
/// </summary>
public sealed class ReviewCoordinator(TimeProvider time)
{
    public static async Task<ReviewSettings> SettingsAsync(TrialFlowDbContext db, Guid trialId, CancellationToken cancellationToken)
    {
        var settings = await db.ReviewSettings.SingleOrDefaultAsync(s => s.TrialId == trialId, cancellationToken);
        if (settings is null)
            db.ReviewSettings.Add(settings = new ReviewSettings(trialId));
        return settings;
    }

    public async Task<AssignmentOutcome> AssignReadersAsync(TrialFlowDbContext db, Guid studyId, CancellationToken cancellationToken)
    {
        var study = await db.Studies.IgnoreQueryFilters().SingleAsync(s => s.Id == studyId, cancellationToken);
        var settings = await SettingsAsync(db, study.TrialId, cancellationToken);
        var existing = await db.ReadTasks.Where(t => t.StudyId == studyId).ToListAsync(cancellationToken);
        if (existing.Count >= settings.ReadersPerTimepoint)
            return new AssignmentOutcome(existing.OrderBy(t => t.Slot).ToList(), null);

        var previous = await db.ReadTasks.Where(t => t.SubjectId == study.SubjectId && t.StudyId != studyId)
            .OrderBy(t => t.AssignedAt).Select(t => new { t.Slot, t.ReaderUserId }).ToListAsync(cancellationToken);
        var previousBySlot = new Dictionary<int, string>();
        foreach (var p in previous)
            previousBySlot[p.Slot] = p.ReaderUserId; // the latest reader of each slot keeps it
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var pool = await PoolAsync(db, study.TrialId, ReviewerRole.Reader, cancellationToken);
        var decision = ReaderAssignmentRules.Choose(
            new AssignmentRequest(study.SiteId, settings.ReadersPerTimepoint, previousBySlot, existing.Select(t => t.ReaderUserId).ToList(), today), pool);

        var (timepoint, scanDate) = await TimepointOfAsync(db, study, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var tasks = new List<ReadTask>(existing);
        foreach (var slot in decision.Slots.Where(s => existing.All(e => e.Slot != s.Slot)))
        {
            var task = new ReadTask(study.TrialId, study.Id, study.SubjectId, study.SiteId, timepoint, scanDate, slot.Slot, slot.UserId, now, now.AddDays(settings.TaskDueDays));
            db.ReadTasks.Add(task);
            db.RecordEvent("ReaderAssigned", nameof(ReadTask), task.Id.ToString(), details: $"slot {slot.Slot}: {slot.UserId} ({slot.Why})");
            tasks.Add(task);
        }
        return new AssignmentOutcome(tasks.OrderBy(t => t.Slot).ToList(), decision.Shortfall);
    }

    /// <summary>
    /// A study manager gives a task to another reader, chosen by the same rules unless named; the previous reader's
    /// unsigned draft is discarded. The caller saves with the manager's reason.
    /// </summary>
    public async Task<ReadTask> ReassignAsync(TrialFlowDbContext db, Guid taskId, string? readerUserId, CancellationToken cancellationToken)
    {
        var task = await db.ReadTasks.SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken)
            ?? throw new ReviewNotFoundException($"Read task {taskId} does not exist.");
        var settings = await SettingsAsync(db, task.TrialId, cancellationToken);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var pool = await PoolAsync(db, task.TrialId, ReviewerRole.Reader, cancellationToken);
        var others = await db.ReadTasks.Where(t => t.StudyId == task.StudyId && t.Id != taskId).Select(t => t.ReaderUserId).ToListAsync(cancellationToken);
        var request = new AssignmentRequest(task.SiteId, 1, new Dictionary<int, string>(), [task.ReaderUserId, .. others], today);
        string chosen;
        if (readerUserId is not null)
        {
            var candidate = pool.SingleOrDefault(r => r.UserId == readerUserId);
            if (candidate is null || !ReaderAssignmentRules.IsEligible(candidate, request))
                throw new ReviewStateException($"User {readerUserId} cannot take read task {taskId}: not a qualified, active reader of this trial, from the subject's site, or already reading this timepoint. The task is unchanged.");
            chosen = readerUserId;
        }
        else
        {
            var decision = ReaderAssignmentRules.Choose(request, pool);
            chosen = decision.Slots.SingleOrDefault()?.UserId ?? throw new ReviewStateException($"No reader can take read task {taskId}: {decision.Shortfall}");
        }
        var drafts = await db.Reads.Where(r => r.ReadTaskId == taskId && r.Status == ReadStatus.Draft).ToListAsync(cancellationToken);
        if (await db.Reads.AnyAsync(r => r.ReadTaskId == taskId && r.Status != ReadStatus.Draft, cancellationToken))
            throw new ReviewStateException($"Read task {taskId} has a signed read; it stays with its reader.");
        db.Reads.RemoveRange(drafts);
        var now = time.GetUtcNow().UtcDateTime;
        var previousReader = task.ReaderUserId;
        task.Reassign(chosen, now, now.AddDays(settings.TaskDueDays));
        db.RecordEvent("ReaderReassigned", nameof(ReadTask), task.Id.ToString(), details: $"slot {task.Slot}: {previousReader} → {chosen}");
        return task;
    }

    /// <summary>
    /// Compares the current signed reads of every slot on the trial's adjudication variables; opens an adjudication when
    /// any two differ. The adjudication names slots 1 and 2 as its reads A and B; with more readers the adjudicator sees
    /// the further slots' reads too (<see cref="AdjudicationReads"/>).
    /// </summary>
    public async Task<ComparisonOutcome> CompareAsync(TrialFlowDbContext db, Guid studyId, CancellationToken cancellationToken)
    {
        var tasks = await db.ReadTasks.Where(t => t.StudyId == studyId).OrderBy(t => t.Slot).ToListAsync(cancellationToken);
        if (tasks.Count == 0)
            throw new ReviewStateException($"Study {studyId} has no read tasks to compare.");
        var taskIds = tasks.Select(t => t.Id).ToList();
        var reads = await db.Reads.Where(r => taskIds.Contains(r.ReadTaskId) && r.Status == ReadStatus.Signed).ToListAsync(cancellationToken);
        var bySlot = tasks.Select(t => reads.SingleOrDefault(r => r.ReadTaskId == t.Id)).ToList();
        if (bySlot.Any(r => r is null))
            throw new ReviewStateException($"Study {studyId}: not every read task has a signed read yet; compare after the last one is signed.");
        if (bySlot.Count == 1)
        {
            bySlot[0]!.MarkAccepted(true);
            return new ComparisonOutcome(true, [], null);
        }

        var (a, b) = (bySlot[0]!, bySlot[1]!);
        var existing = await db.Adjudications.SingleOrDefaultAsync(x => x.StudyId == studyId && x.ReadAId == a.Id && x.ReadBId == b.Id, cancellationToken);
        if (existing is not null)
            return new ComparisonOutcome(false, existing.Differences.Split("; "), existing);

        var settings = await SettingsAsync(db, tasks[0].TrialId, cancellationToken);
        var comparison = AdjudicationRules.CompareAll(bySlot.Select(r => Conclusion(r!)).ToList(), ParseVariables(settings.AdjudicationVariables));
        if (!comparison.NeedsAdjudication)
        {
            // The reads agree on every adjudication variable: reader 1's read stands as the accepted assessment.
            a.MarkAccepted(true);
            return new ComparisonOutcome(true, [], null);
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var adjudicators = await PoolAsync(db, tasks[0].TrialId, ReviewerRole.Adjudicator, cancellationToken);
        var readers = tasks.Select(t => t.ReaderUserId).ToList();
        var choice = ReaderAssignmentRules.Choose(new AssignmentRequest(tasks[0].SiteId, 1, new Dictionary<int, string>(), readers, today), adjudicators);
        var adjudicator = choice.Slots.SingleOrDefault()?.UserId
            ?? throw new ReviewStateException($"Study {studyId} needs adjudication ({string.Join("; ", comparison.Differences)}) but no adjudicator is available: {choice.Shortfall}");
        var now = time.GetUtcNow().UtcDateTime;
        var adjudication = new TrialFlow.Review.Domain.Adjudication(tasks[0].TrialId, studyId, tasks[0].SubjectId, a.Id, b.Id, string.Join("; ", comparison.Differences), adjudicator, now, now.AddDays(settings.TaskDueDays));
        db.Adjudications.Add(adjudication);
        return new ComparisonOutcome(false, comparison.Differences, adjudication);
    }

    public static IReadOnlyList<AdjudicationVariable> ParseVariables(string configured) =>
        configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => Enum.TryParse<AdjudicationVariable>(v, ignoreCase: true, out var parsed) ? parsed
                : throw new ReviewStateException($"'{v}' is not an adjudication variable (known: {string.Join(", ", Enum.GetNames<AdjudicationVariable>())})."))
            .ToList();

    internal static ReadConclusion Conclusion(Read read) => new(read.OverallResponse, read.DateOfProgression, read.BestOverallResponse);

    /// <summary>The trial's qualified pool of one role, with each member's sites and open tasks.</summary>
    public static async Task<IReadOnlyList<ReaderCandidate>> PoolAsync(TrialFlowDbContext db, Guid trialId, ReviewerRole role, CancellationToken cancellationToken)
    {
        var members = await db.ReaderQualifications.Where(q => q.TrialId == trialId && q.Role == role).ToListAsync(cancellationToken);
        var userIds = members.Select(m => m.UserId).ToList();
        var memberships = await db.SiteMemberships.IgnoreQueryFilters().Where(m => userIds.Contains(m.UserId)).ToListAsync(cancellationToken);
        var open = role == ReviewerRole.Reader
            ? await db.ReadTasks.Where(t => t.TrialId == trialId && t.Status != ReadTaskStatus.Completed && userIds.Contains(t.ReaderUserId))
                .GroupBy(t => t.ReaderUserId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken)
            : await db.Adjudications.Where(x => x.TrialId == trialId && x.Status == AdjudicationStatus.Open && userIds.Contains(x.AdjudicatorUserId))
                .GroupBy(x => x.AdjudicatorUserId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return members.Select(m => new ReaderCandidate(
            m.UserId, m.QualifiedOn, m.Active,
            memberships.Where(s => s.UserId == m.UserId).Select(s => s.SiteId).Concat(m.AffiliatedSiteId is { } site ? [site] : []).ToHashSet(),
            open.GetValueOrDefault(m.UserId))).ToList();
    }

    private static async Task<(string Timepoint, DateOnly? ScanDate)> TimepointOfAsync(TrialFlowDbContext db, Core.Imaging.ImagingStudy study, CancellationToken cancellationToken)
    {
        var name = study.VisitId is { } visitId
            ? await db.Visits.IgnoreQueryFilters().Where(v => v.Id == visitId).Select(v => v.Definition!.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        // Archived dates are shifted per subject; only intervals matter to RECIST. Without a date, the study day will do.
        var scanDate = study.StudyDate ?? (study.StudyDay is { } day ? new DateOnly(2000, 1, 1).AddDays(day) : null);
        return (name ?? $"Scan of {scanDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "unknown date"}", scanDate);
    }
}

/// <summary>The review record does not exist, or is not the caller's to see; APIs answer 404 either way.</summary>
public sealed class ReviewNotFoundException(string message) : Exception(message);
