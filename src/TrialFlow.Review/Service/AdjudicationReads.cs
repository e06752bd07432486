using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;

namespace TrialFlow.Review.Service;

/// <summary>One read an adjudication compared, with its task (slot order gives the label: A, B, C, ...).</summary>
public sealed record ComparedRead(Read Read, ReadTask Task)
{
    public string Label => ((char)('A' + Task.Slot - 1)).ToString();
}

/// <summary>
/// The reads an adjudication compared: its reads A and B (slots 1 and 2) as stored, and for a third or further slot the
/// read that was signed when the adjudication opened (a later correction is a new version, not what was compared).
/// </summary>
public static class AdjudicationReads
{
    public static async Task<IReadOnlyList<ComparedRead>> OfAsync(TrialFlowDbContext db, TrialFlow.Review.Domain.Adjudication adjudication, CancellationToken cancellationToken)
    {
        var tasks = await db.ReadTasks.AsNoTracking().Where(t => t.StudyId == adjudication.StudyId).OrderBy(t => t.Slot).ToListAsync(cancellationToken);
        var taskIds = tasks.Select(t => t.Id).ToList();
        var reads = await db.Reads.AsNoTracking()
            .Where(r => taskIds.Contains(r.ReadTaskId) && (r.Id == adjudication.ReadAId || r.Id == adjudication.ReadBId
                || (r.SignedAt != null && r.SignedAt <= adjudication.OpenedAt && (r.Status == ReadStatus.Signed || r.Status == ReadStatus.Superseded))))
            .ToListAsync(cancellationToken);
        var a = reads.Single(r => r.Id == adjudication.ReadAId);
        var b = reads.Single(r => r.Id == adjudication.ReadBId);
        var compared = new List<ComparedRead>();
        foreach (var task in tasks)
        {
            var read = task.Id == a.ReadTaskId ? a
                : task.Id == b.ReadTaskId ? b
                : reads.Where(r => r.ReadTaskId == task.Id).OrderByDescending(r => r.SignedAt).FirstOrDefault();
            if (read is not null)
                compared.Add(new ComparedRead(read, task));
        }
        return compared;
    }
}
