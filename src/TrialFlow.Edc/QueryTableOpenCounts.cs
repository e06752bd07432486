using TrialFlow.Queries.Domain;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Edc;

/// <summary>
/// Open queries per study from the query module's table: open is not yet resolved, closed or cancelled (the query's
/// own <c>IsOpen</c>). A study without open queries counts 0, so the EDC gets "0", not nothing.
/// </summary>
public sealed class QueryTableOpenCounts : IOpenQueryCounts
{
    public async Task<IReadOnlyDictionary<Guid, int>?> ForStudiesAsync(TrialFlowDbContext db, IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken)
    {
        var ids = studyIds.ToList();
        var counts = await db.Queries.AsNoTracking()
            .Where(q => q.IsOpen && q.StudyId != null && ids.Contains(q.StudyId.Value))
            .GroupBy(q => q.StudyId!.Value)
            .Select(g => new { StudyId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.StudyId, g => g.Count, cancellationToken);
        return ids.Distinct().ToDictionary(id => id, id => counts.GetValueOrDefault(id));
    }
}
