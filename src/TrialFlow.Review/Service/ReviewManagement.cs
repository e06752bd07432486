using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Agreement;

namespace TrialFlow.Review.Service;

/// <summary>
/// The study manager's side of the review (unblinded): the pool and its qualifications, every task with its reader,
/// reassignment with a reason, and agreement metrics. Trial-wide roles only; the API and pages authorize it.
/// </summary>
public sealed class ReviewManagement(TrialFlowDbContext db, ReviewCoordinator coordinator, TimeProvider time)
{
    public async Task<IReadOnlyList<PoolMember>> PoolAsync(Guid trialId, CancellationToken cancellationToken)
    {
        var members = await db.ReaderQualifications.AsNoTracking().Where(q => q.TrialId == trialId).ToListAsync(cancellationToken);
        var names = await NamesAsync(members.Select(m => m.UserId), cancellationToken);
        var open = await db.ReadTasks.Where(t => t.TrialId == trialId && t.Status != ReadTaskStatus.Completed)
            .GroupBy(t => t.ReaderUserId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return members.OrderBy(m => m.Role).ThenBy(m => names.GetValueOrDefault(m.UserId).Display, StringComparer.Ordinal)
            .Select(m => new PoolMember(m.Id, m.UserId, names.GetValueOrDefault(m.UserId).UserName ?? m.UserId, names.GetValueOrDefault(m.UserId).Display ?? m.UserId,
                m.Role, m.TrainingRecord, m.QualifiedOn, m.Active, open.GetValueOrDefault(m.UserId)))
            .ToList();
    }

    /// <summary>
    /// Adds a qualified reviewer to the pool (mid-study too: the next assignment considers them). The user must hold the
    /// matching role (a reader signs in blinded, as a Reader), the training record is required and the date qualified
    /// cannot be in the future; qualifying again updates the record and brings them back into the pool.
    /// </summary>
    public async Task<ReaderQualification> QualifyAsync(Guid trialId, string userName, ReviewerRole role, string trainingRecord, DateOnly qualifiedOn, Guid? affiliatedSiteId, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken)
            ?? throw new ReviewNotFoundException($"There is no user '{userName}'.");
        if (!await HasRoleAsync(user.Id, role.ToString(), cancellationToken))
            throw new ArgumentException($"User '{userName}' does not have the {role} role: give it on the Users page first, so they sign in to the blinded {role.ToString().ToLowerInvariant()} pages only.", nameof(userName));
        if (string.IsNullOrWhiteSpace(trainingRecord))
            throw new ArgumentException("The training record is required (course, charter version, certificate).", nameof(trainingRecord));
        if (trainingRecord.Trim().Length > 500)
            throw new ArgumentException($"The training record has {trainingRecord.Trim().Length} characters; at most 500.", nameof(trainingRecord));
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (qualifiedOn > today)
            throw new ArgumentException($"The date qualified ({qualifiedOn:yyyy-MM-dd}) is in the future; a reviewer is qualified once trained.", nameof(qualifiedOn));
        trainingRecord = trainingRecord.Trim();
        var existing = await db.ReaderQualifications.SingleOrDefaultAsync(q => q.TrialId == trialId && q.UserId == user.Id && q.Role == role, cancellationToken);
        if (existing is not null)
            existing.Requalify(trainingRecord, qualifiedOn);
        else
            db.ReaderQualifications.Add(existing = new ReaderQualification(trialId, user.Id, role, trainingRecord, qualifiedOn, affiliatedSiteId));
        await db.SaveChangesAsync(cancellationToken);
        return existing;
    }

    /// <summary>Takes a reviewer out of the pool or brings them back, with a reason; open tasks stay with them until reassigned.</summary>
    public async Task<PoolMember> SetActiveAsync(Guid trialId, Guid qualificationId, bool active, string? reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException($"{(active ? "Bringing a reviewer back into" : "Taking a reviewer out of")} the pool needs a reason.", nameof(reason));
        var qualification = await db.ReaderQualifications.SingleOrDefaultAsync(q => q.Id == qualificationId && q.TrialId == trialId, cancellationToken)
            ?? throw new ReviewNotFoundException($"Trial {trialId} has no pool member {qualificationId}.");
        if (active)
            qualification.Reactivate();
        else
            qualification.Deactivate();
        await db.SaveChangesAsync(reason.Trim(), cancellationToken);
        return (await PoolAsync(trialId, cancellationToken)).Single(m => m.Id == qualificationId);
    }

    /// <summary>Users who could join the pool: those holding the Reader or Adjudicator role, by user name.</summary>
    public async Task<IReadOnlyList<ReviewerCandidate>> CandidatesAsync(CancellationToken cancellationToken)
    {
        var roles = new[] { nameof(ReviewerRole.Reader), nameof(ReviewerRole.Adjudicator) };
        var rows = await (from ur in db.UserRoles
                          join r in db.Roles on ur.RoleId equals r.Id
                          join u in db.Users on ur.UserId equals u.Id
                          where roles.Contains(r.Name!)
                          select new { u.UserName, u.DisplayName, Role = r.Name! }).AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(r => new ReviewerCandidate(r.UserName!, r.DisplayName, Enum.Parse<ReviewerRole>(r.Role)))
            .OrderBy(c => c.Role).ThenBy(c => c.UserName, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<ManagedTask>> TasksAsync(Guid? trialId, bool openOnly, CancellationToken cancellationToken)
    {
        var query = db.ReadTasks.AsNoTracking().Where(t => trialId == null || t.TrialId == trialId);
        if (openOnly)
            query = query.Where(t => t.Status != ReadTaskStatus.Completed);
        var tasks = await query.OrderBy(t => t.DueAt).Take(500).ToListAsync(cancellationToken);
        var subjectIds = tasks.Select(t => t.SubjectId).Distinct().ToList();
        var subjects = await db.Subjects.AsNoTracking().Where(s => subjectIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.SubjectKey, cancellationToken);
        var siteIds = tasks.Select(t => t.SiteId).Distinct().ToList();
        var sites = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.SiteNumber, cancellationToken);
        var names = await NamesAsync(tasks.Select(t => t.ReaderUserId), cancellationToken);
        return tasks.Select(t => new ManagedTask(t.Id, subjects.GetValueOrDefault(t.SubjectId, "?"), sites.GetValueOrDefault(t.SiteId, "?"), t.Timepoint, t.Slot,
            t.ReaderUserId, names.GetValueOrDefault(t.ReaderUserId).Display ?? t.ReaderUserId, t.Status, t.DueAt)).ToList();
    }

    /// <summary>Reassigns a task to the named reader, or to the one the rules choose; the reason is audited with the change.</summary>
    public async Task<ManagedTask> ReassignAsync(Guid taskId, string? readerUserName, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("Reassigning a read task needs a reason.", nameof(reason));
        string? readerId = null;
        if (!string.IsNullOrWhiteSpace(readerUserName))
            readerId = await db.Users.Where(u => u.UserName == readerUserName).Select(u => u.Id).SingleOrDefaultAsync(cancellationToken)
                ?? throw new ReviewNotFoundException($"There is no user '{readerUserName}'.");
        var task = await coordinator.ReassignAsync(db, taskId, readerId, cancellationToken);
        await db.SaveChangesAsync(reason, cancellationToken);
        return (await TasksAsync(task.TrialId, openOnly: false, cancellationToken)).Single(t => t.TaskId == task.Id);
    }

    /// <summary>Agreement over every timepoint both readers signed: adjudication rates, whom the adjudicator sided with, kappa, Bland–Altman.</summary>
    public async Task<AgreementReport> AgreementAsync(Guid? trialId, CancellationToken cancellationToken)
    {
        var tasks = await db.ReadTasks.AsNoTracking().Where(t => (trialId == null || t.TrialId == trialId) && t.Slot <= 2).ToListAsync(cancellationToken);
        var taskIds = tasks.Select(t => t.Id).ToList();
        var reads = await db.Reads.AsNoTracking().Where(r => r.Status == ReadStatus.Signed && taskIds.Contains(r.ReadTaskId)).ToDictionaryAsync(r => r.ReadTaskId, cancellationToken);
        var adjudications = await db.Adjudications.AsNoTracking().Where(a => trialId == null || a.TrialId == trialId).ToListAsync(cancellationToken);
        var names = await NamesAsync(tasks.Select(t => t.ReaderUserId), cancellationToken);
        string Name(string id) => names.GetValueOrDefault(id).Display ?? id;

        var pairs = new List<ReadPair>();
        foreach (var study in tasks.GroupBy(t => t.StudyId))
        {
            var one = study.SingleOrDefault(t => t.Slot == 1);
            var two = study.SingleOrDefault(t => t.Slot == 2);
            if (one is null || two is null || !reads.TryGetValue(one.Id, out var a) || !reads.TryGetValue(two.Id, out var b))
                continue;
            var adjudication = adjudications.FirstOrDefault(x => x.StudyId == study.Key);
            // With a third reader, the adjudicator may side with neither of slots 1 and 2.
            var accepted = adjudication?.AcceptedReadId is { } acceptedId
                ? acceptedId == adjudication.ReadAId ? Name(one.ReaderUserId)
                : acceptedId == adjudication.ReadBId ? Name(two.ReaderUserId)
                : Name(await db.Reads.Where(r => r.Id == acceptedId).Select(r => r.ReaderUserId).SingleAsync(cancellationToken))
                : null;
            pairs.Add(new ReadPair(Name(one.ReaderUserId), Name(two.ReaderUserId), a.OverallResponse ?? "", b.OverallResponse ?? "", a.SumOfDiametersMm, b.SumOfDiametersMm, adjudication is not null, accepted));
        }
        return AgreementMetrics.Compute(pairs);
    }

    private Task<bool> HasRoleAsync(string userId, string role, CancellationToken cancellationToken) =>
        (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId && r.Name == role select ur).AnyAsync(cancellationToken);

    private async Task<Dictionary<string, (string? UserName, string? Display)>> NamesAsync(IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => ((string?)u.UserName, (string?)u.DisplayName), cancellationToken);
    }
}
