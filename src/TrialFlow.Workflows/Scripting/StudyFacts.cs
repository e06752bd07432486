using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Workflows.Scripting;

/// <summary>
/// The study as workflow JavaScript sees it (<c>study.modalities</c>, <c>study.numberOfInstances</c>,
/// <c>study.series[0].description</c>...). Missing values are left out, so scripts see <c>undefined</c>,
/// not <c>null</c> (<c>null &lt;= 5</c> is true in JavaScript).
/// </summary>
public static class StudyFacts
{
    public static async Task<string> LoadJsonAsync(TrialFlowDbContext db, Guid studyId, CancellationToken cancellationToken)
    {
        var study = await db.Studies.AsNoTracking().Include(s => s.Series).SingleOrDefaultAsync(s => s.Id == studyId, cancellationToken)
            ?? throw new InvalidOperationException($"Study {studyId} does not exist (or is outside the workflow actor's sites).");
        // Counted from the instance rows: the series' stored counters are not recounted when instances arrive in
        // separate intake transactions (reported to the intake owner), and scripts must see what is archived.
        var seriesIds = study.Series.Select(s => s.Id).ToList();
        var counts = await db.Instances.AsNoTracking().Where(i => seriesIds.Contains(i.SeriesId))
            .GroupBy(i => i.SeriesId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var facts = new Dictionary<string, object?>
        {
            ["id"] = study.Id.ToString(),
            ["studyInstanceUid"] = study.StudyInstanceUid,
            ["status"] = study.Status.ToString(),
            ["modalities"] = study.Modalities.Split('\\', StringSplitOptions.RemoveEmptyEntries),
            ["numberOfSeries"] = study.NumberOfSeries,
            ["numberOfInstances"] = counts.Values.Sum(),
            ["studyDate"] = study.StudyDate?.ToString("yyyy-MM-dd"),
            ["description"] = study.Description,
            ["hasVisit"] = study.VisitId is not null,
            ["series"] = study.Series.Select(s => new Dictionary<string, object?>
            {
                ["modality"] = s.Modality,
                ["seriesNumber"] = s.SeriesNumber,
                ["description"] = s.Description,
                ["numberOfInstances"] = counts.GetValueOrDefault(s.Id),
            }.Where(p => p.Value is not null).ToDictionary()).ToList(),
        };
        return JsonSerializer.Serialize(facts.Where(p => p.Value is not null).ToDictionary());
    }
}
