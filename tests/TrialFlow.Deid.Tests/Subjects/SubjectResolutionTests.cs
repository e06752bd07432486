using TrialFlow.Deid.Subjects;

namespace TrialFlow.Deid.Tests.Subjects;

public sealed class SubjectResolutionTests
{
    [Fact]
    public async Task Subject_map_matches_known_patients_and_quarantines_the_rest()
    {
        var file = Path.Combine(TestPaths.TempDirectory("map"), "map.csv");
        File.WriteAllText(file, "patient_id,subject_id\nMRN-1,101-0001\nMRN-2,101-0002\n");
        var map = CsvSubjectMap.Load(file);
        Assert.Equal("101-0001", (await map.ResolveAsync("101", "MRN-1")).SubjectId);
        var unknown = await map.ResolveAsync("101", "MRN-3");
        Assert.False(unknown.IsMatched);
        Assert.Contains("not in the subject map", unknown.QuarantineReason, StringComparison.Ordinal);
        Assert.False((await map.ResolveAsync("101", null)).IsMatched);
    }

    [Theory]
    [InlineData("patient,subject\nA,1\n", 1)]
    [InlineData("patient_id,subject_id\nA,1\nA,2\n", 3)]
    [InlineData("patient_id,subject_id\nA,1\nB,1\n", 3)]
    [InlineData("patient_id,subject_id\nA\n", 2)]
    public void Subject_map_with_a_mistake_is_rejected_with_its_line(string csv, int line)
    {
        var file = Path.Combine(TestPaths.TempDirectory("map"), "map.csv");
        File.WriteAllText(file, csv);
        Assert.Equal(line, Assert.Throws<DeidSubjectMapException>(() => CsvSubjectMap.Load(file)).Line);
    }

    [Fact]
    public void Two_patient_ids_in_one_study_hold_the_study_back()
    {
        var guard = new StudyPatientGuard();
        guard.Observe("1.2.3", "MRN-1");
        guard.Observe("1.2.3", "MRN-1");
        guard.Observe("1.2.4", "MRN-1");
        Assert.Null(guard.Check("1.2.3"));
        guard.Observe("1.2.3", "MRN-2");
        Assert.NotNull(guard.Check("1.2.3"));
        Assert.Null(guard.Check("1.2.4"));
    }
}
