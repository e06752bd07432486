using TrialFlow.Review.Forms;

namespace TrialFlow.Edc.Tests.Support;

/// <summary>
/// Two subjects reviewed end to end through the real review services (forms saved and signed with passwords, reads
/// compared by the coordinator, an adjudication decided by the adjudicator):
/// <list type="bullet">
/// <item>101-001 (EDC baseline 2026-03-02; scans on study days −3, 41, 85): baseline reads agree; at week 6 radiologist
/// 1 says PR and radiologist 2 SD, the adjudicator accepts radiologist 2; at week 12 both say PR.</item>
/// <item>101-002 (EDC baseline 2026-03-09; scans on days 0 and 43; one target lesion, no non-target disease): at week 6
/// radiologist 1 says PR and radiologist 2 SD; the adjudication is still open.</item>
/// <item>201-001 (EDC baseline 2026-03-03; scans on days 0, 42, 83): at week 6 radiologist 1 signs 60 mm, then corrects
/// it to 52 mm (PD); radiologist 2 sees a new lesion (PD): they agree. At week 12 radiologist 1 has only a draft.</item>
/// </list>
/// A query is open on 101-001's week-12 study; another, on its week-6 study, was withdrawn.
/// </summary>
public sealed class ReviewScenario : IAsyncLifetime
{
    public ReviewedTrial Trial { get; private set; } = null!;

    public Dictionary<string, Guid> First { get; private set; } = null!;

    public Dictionary<string, Guid> Second { get; private set; } = null!;

    public Dictionary<string, Guid> Pending { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Trial = await ReviewedTrial.CreateAsync();
        First = await Trial.EnrolAsync("101-001", "101", new DateOnly(2026, 3, 2), ("BASELINE", -3), ("WK06", 41), ("WK12", 85));
        Second = await Trial.EnrolAsync("201-001", "201", new DateOnly(2026, 3, 3), ("BASELINE", 0), ("WK06", 42), ("WK12", 83));
        Pending = await Trial.EnrolAsync("101-002", "101", new DateOnly(2026, 3, 9), ("BASELINE", 0), ("WK06", 43));

        await ReadAsync(First["BASELINE"],
            Form(targets: [("T1", "Liver", "50"), ("T2", "Lung", "30")], nonTargets: [("NT1", "Bone", "Present")]),
            Form(targets: [("T1", "Liver", "48"), ("T2", "Lymph node", "20")], nonTargets: [("NT1", "Bone", "Present")]));
        var adjudication = await ReadAsync(First["WK06"],
            Form(targets: [("T1", "Liver", "30"), ("T2", "Lung", "20")], nonTargets: [("NT1", "Bone", "Present")]),
            Form(targets: [("T1", "Liver", "40"), ("T2", "Lymph node", "18")], nonTargets: [("NT1", "Bone", "Present")]));
        Assert.NotNull(adjudication);
        await Trial.DecideAsync(adjudication.Value, First["WK06"], slot: 2, "Radiologist 1 measured T1 on the arterial phase; the venous phase shows 40 mm.");
        Assert.Null(await ReadAsync(First["WK12"],
            Form(targets: [("T1", "Liver", "24"), ("T2", "Lung", "16")], nonTargets: [("NT1", "Bone", "Present")]),
            Form(targets: [("T1", "Liver", "22"), ("T2", "Lymph node", "12")], nonTargets: [("NT1", "Bone", "Present")])));

        await ReadAsync(Second["BASELINE"],
            Form(targets: [("T1", "Liver", "40")], nonTargets: [("NT1", "Lung", "Present")]),
            Form(targets: [("T1", "Liver", "42")], nonTargets: [("NT1", "Lung", "Present")]));
        await Trial.AssignReadersAsync(Second["WK06"]);
        await Trial.SignAsync(Second["WK06"], 1, Form(targets: [("T1", "Liver", "60")], nonTargets: [("NT1", "Lung", "Present")]));
        await Trial.CorrectAsync(Second["WK06"], 1, Form(targets: [("T1", "Liver", "52")], nonTargets: [("NT1", "Lung", "Present")]), "Re-measured on the venous phase.");
        await Trial.SignAsync(Second["WK06"], 2, Form(targets: [("T1", "Liver", "44")], nonTargets: [("NT1", "Lung", "Present")], newLesions: [("N1", "Liver", "Unequivocal")]));
        Assert.Null(await Trial.CompareAsync(Second["WK06"]));
        await Trial.AssignReadersAsync(Second["WK12"]);
        await Trial.SaveDraftAsync(Second["WK12"], 1, Form(targets: [("T1", "Liver", "55")], nonTargets: [("NT1", "Lung", "Present")]));

        await ReadAsync(Pending["BASELINE"], Form(targets: [("T1", "Liver", "30")], nonTargets: []), Form(targets: [("T1", "Liver", "30")], nonTargets: []));
        Assert.NotNull(await ReadAsync(Pending["WK06"], Form(targets: [("T1", "Liver", "20")], nonTargets: []), Form(targets: [("T1", "Liver", "25")], nonTargets: [])));

        await Trial.RaiseQueryAsync(First["WK12"], "Contrast phase not recorded", withdraw: false);
        await Trial.RaiseQueryAsync(First["WK06"], "Slice thickness 7.5 mm", withdraw: true);
    }

    /// <summary>Assigns, signs both reads and compares them; returns the adjudication opened, if any.</summary>
    private async Task<Guid?> ReadAsync(Guid studyId, FormData slot1, FormData slot2)
    {
        await Trial.AssignReadersAsync(studyId);
        await Trial.SignAsync(studyId, 1, slot1);
        await Trial.SignAsync(studyId, 2, slot2);
        return await Trial.CompareAsync(studyId);
    }

    public static FormData Form(
        (string Id, string Organ, string DiameterMm)[] targets,
        (string Id, string Organ, string Status)[] nonTargets,
        (string Id, string Organ, string Certainty)[]? newLesions = null) =>
        new(new Dictionary<string, string?> { ["imageQuality"] = "Adequate" }, new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>>
        {
            ["targetLesions"] = targets.Select(t => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>
                { ["lesionId"] = t.Id, ["organ"] = t.Organ, ["status"] = "Measured", ["diameterMm"] = t.DiameterMm }).ToList(),
            ["nonTargetLesions"] = nonTargets.Select(n => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>
                { ["lesionId"] = n.Id, ["organ"] = n.Organ, ["status"] = n.Status }).ToList(),
            ["newLesions"] = (newLesions ?? []).Select(n => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>
                { ["lesionId"] = n.Id, ["organ"] = n.Organ, ["certainty"] = n.Certainty }).ToList(),
        });

    public async Task DisposeAsync() => await Trial.DisposeAsync();
}
