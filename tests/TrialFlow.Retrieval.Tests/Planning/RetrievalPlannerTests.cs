namespace TrialFlow.Retrieval.Tests.Planning;

/// <summary>The plan's rules, against a PACS that answers from a list (the protocols are tested against Orthanc).</summary>
public sealed class RetrievalPlannerTests
{
    private sealed class ListedPacs(Dictionary<string, PlannedStudy[]> byValue) : IStudySource
    {
        public Task<IReadOnlyList<PlannedStudy>> FindStudiesAsync(CohortEntry entry, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PlannedStudy>>(byValue.GetValueOrDefault(entry.Value) ?? []);
    }

    private static PlannedStudy Study(string uid, string date, string modality = "CT", int instances = 10) =>
        new(uid, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), [modality], 2, instances, null);

    private static CohortEntry Row(int line, string subject, string mrn, DateOnly? from = null, DateOnly? to = null, string? modality = null) =>
        new(line, subject, CohortMatch.PatientId, mrn, from, to, modality);

    [Fact]
    public async Task A_row_keeps_the_studies_within_its_dates_and_modality_even_when_the_PACS_ignored_them()
    {
        var pacs = new ListedPacs(new()
        {
            ["MRN-1"] = [Study("1.1", "2024-12-30"), Study("1.2", "2025-03-01"), Study("1.3", "2025-04-01", "MR"), Study("1.4", "2026-01-02")],
        });

        var plan = await RetrievalPlanner.PlanAsync(pacs, [Row(2, "701-101", "MRN-1", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), "CT")]);

        var row = Assert.Single(plan.Rows);
        Assert.True(row.IsReady);
        Assert.Equal(["1.2"], row.Studies.Select(s => s.StudyInstanceUid));
        Assert.Equal((1, 10), (plan.Studies, plan.Instances));
    }

    [Fact]
    public async Task Rows_that_find_nothing_or_reach_another_subjects_study_are_problems_and_count_for_nothing()
    {
        var pacs = new ListedPacs(new()
        {
            ["MRN-1"] = [Study("2.1", "2025-03-01"), Study("2.9", "2025-05-01")],
            ["MRN-2"] = [Study("2.9", "2025-05-01")],
            ["MRN-3"] = [Study("3.1", "2025-02-01", instances: 7)],
        });

        var plan = await RetrievalPlanner.PlanAsync(pacs,
            [Row(2, "701-101", "MRN-1"), Row(3, "701-102", "MRN-2"), Row(4, "701-103", "MRN-3"), Row(5, "701-104", "MRN-4")]);

        Assert.Equal(
            [
                "line 2: its study of 2025-05-01 is also reached for subject 701-102",
                "line 3: its study of 2025-05-01 is also reached for subject 701-101",
                "line 5: the PACS holds no study for this row",
            ],
            plan.Problems.Select(p => p.Problem!));
        Assert.Equal((1, 7), (plan.Studies, plan.Instances));
    }
}
