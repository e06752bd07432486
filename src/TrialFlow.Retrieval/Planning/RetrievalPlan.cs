using TrialFlow.Retrieval.Cohorts;

namespace TrialFlow.Retrieval.Planning;

/// <summary>One study the site's PACS holds for a cohort row, as its query answered.</summary>
public sealed record PlannedStudy(string StudyInstanceUid, DateOnly? StudyDate, IReadOnlyList<string> Modalities, int? Series, int? Instances, string? Description);

/// <summary>What a cohort row will bring: its studies, or why it brings none (a person decides before anything is pulled).</summary>
public sealed record SubjectPlan(CohortEntry Entry, IReadOnlyList<PlannedStudy> Studies, string? Problem)
{
    public bool IsReady => Problem is null && Studies.Count > 0;
}

/// <summary>The plan of a pull: per cohort row what the PACS holds, and the totals a data manager checks before running it.</summary>
public sealed record RetrievalPlan(IReadOnlyList<SubjectPlan> Rows)
{
    public int Studies => Rows.Where(r => r.Problem is null).Sum(r => r.Studies.Count);

    public int Instances => Rows.Where(r => r.Problem is null).SelectMany(r => r.Studies).Sum(s => s.Instances ?? 0);

    public IEnumerable<SubjectPlan> Problems => Rows.Where(r => r.Problem is not null);
}
