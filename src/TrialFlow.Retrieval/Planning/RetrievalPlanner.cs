using TrialFlow.Retrieval.Cohorts;

namespace TrialFlow.Retrieval.Planning;

/// <summary>
/// Plans a pull: asks the site's PACS, row by row, what it holds for the cohort, one query at a time so a hospital PACS
/// is not flooded. A row with no study, or whose study is also another subject's row, is a problem a person resolves
/// before anything is retrieved; nothing is ever pulled for two subjects. A problem names the study by its date, not its
/// UID: problems are kept with the job and shown where the site's identifiers are not.
/// </summary>
public static class RetrievalPlanner
{
    public static async Task<RetrievalPlan> PlanAsync(IStudySource pacs, IReadOnlyList<CohortEntry> cohort, CancellationToken cancellationToken = default)
    {
        var found = new List<(CohortEntry Entry, IReadOnlyList<PlannedStudy> Studies)>();
        foreach (var entry in cohort)
        {
            var studies = (await pacs.FindStudiesAsync(entry, cancellationToken).ConfigureAwait(false))
                .Where(s => s.StudyInstanceUid.Length > 0 && StudyAnswers.Meets(s, entry))
                .DistinctBy(s => s.StudyInstanceUid)
                .OrderBy(s => s.StudyDate).ThenBy(s => s.StudyInstanceUid, StringComparer.Ordinal)
                .ToList();
            found.Add((entry, studies));
        }

        // A study two subjects' rows both reach (a shared accession number, an MRN typed twice) belongs to neither until
        // someone decides.
        var owners = found.SelectMany(f => f.Studies.Select(s => (s.StudyInstanceUid, f.Entry.SubjectKey)))
            .GroupBy(x => x.StudyInstanceUid)
            .Where(g => g.Select(x => x.SubjectKey).Distinct(StringComparer.Ordinal).Count() > 1)
            .ToDictionary(g => g.Key, g => g.Select(x => x.SubjectKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());

        return new RetrievalPlan(found.Select(f =>
        {
            var shared = f.Studies.FirstOrDefault(s => owners.ContainsKey(s.StudyInstanceUid));
            var problem = f.Studies.Count == 0
                ? $"line {f.Entry.Line}: the PACS holds no study for this row"
                : shared is not null
                    ? $"line {f.Entry.Line}: its study of {shared.StudyDate?.ToString("yyyy-MM-dd") ?? "unknown date"} is also reached for subject{(owners[shared.StudyInstanceUid].Count > 2 ? "s" : "")} {string.Join(", ", owners[shared.StudyInstanceUid].Where(s => s != f.Entry.SubjectKey))}"
                    : null;
            return new SubjectPlan(f.Entry, f.Studies, problem);
        }).ToList());
    }
}
