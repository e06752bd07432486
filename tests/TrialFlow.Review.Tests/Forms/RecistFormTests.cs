using TrialFlow.Review.Forms;

namespace TrialFlow.Review.Tests.Forms;

/// <summary>The shipped RECIST 1.1 template: validation, repeatable groups and computed fields.</summary>
public sealed class RecistFormTests
{
    private static readonly FormTemplate Template = FormTemplate.Load(Repository.Path("templates", "forms", "recist-1.1.json"));

    private static Dictionary<string, string?> Target(string id, string organ, string status, string? mm) =>
        new() { ["lesionId"] = id, ["organ"] = organ, ["status"] = status, ["diameterMm"] = mm };

    private static FormData Form(IEnumerable<Dictionary<string, string?>> targets, IEnumerable<Dictionary<string, string?>>? newLesions = null) => new(
        new Dictionary<string, string?> { ["imageQuality"] = "Adequate" },
        new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>>
        {
            ["targetLesions"] = targets.ToList<IReadOnlyDictionary<string, string?>>(),
            ["newLesions"] = (newLesions ?? []).ToList<IReadOnlyDictionary<string, string?>>(),
        });

    [Fact]
    public void The_template_declares_the_groups_and_computed_fields_of_RECIST()
    {
        Assert.Equal(["targetLesions", "nonTargetLesions", "newLesions"], Template.Groups.Select(g => g.Key));
        Assert.Equal((5, 2), (Template.Groups[0].MaxItems, Template.Groups[0].MaxPerValue!.Max));
        Assert.Contains(Template.Computed, c => c.Key == "overallResponse");
        Assert.True(Template.Groups[0].Fields.Single(f => f.Key == "diameterMm").Measurement);
    }

    [Fact]
    public void Validation_names_the_row_and_field_of_each_error()
    {
        var form = Form([
            Target("T1", "Liver", "Measured", null), Target("T2", "Liver", "Measured", "12.25"), Target("T3", "Liver", "Measured", "20"),
            Target("X4", "Heart", "Measured", "abc"),
        ]);
        var errors = FormValidator.Validate(Template, form).Select(e => e.ToString()).ToList();
        Assert.Contains("targetLesions[1].diameterMm: is required when status is Measured.", errors);
        Assert.Contains("targetLesions[2].diameterMm: 12.25 has more than 1 decimal place(s).", errors);
        Assert.Contains(errors, e => e.StartsWith("targetLesions[4].lesionId: 'X4' does not match", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("targetLesions[4].organ: 'Heart' is not one of Liver", StringComparison.Ordinal));
        Assert.Contains("targetLesions[4].diameterMm: 'abc' is not a number (use a dot for decimals).", errors);
        Assert.Contains("targetLesions: 3 entries with organ 'Liver'; at most 2 allowed.", errors);
    }

    [Fact]
    public void Computed_fields_follow_the_readers_series_from_baseline()
    {
        var baseline = new FormTimepoint(new DateOnly(2026, 1, 5), Form([Target("T1", "Liver", "Measured", "40"), Target("T2", "Lymph node", "Measured", "20")]));
        var week6 = new FormTimepoint(new DateOnly(2026, 2, 16), Form([Target("T1", "Liver", "Measured", "24.5"), Target("T2", "Lymph node", "Measured", "12")]));
        var week12 = new FormTimepoint(new DateOnly(2026, 3, 30), Form([Target("T1", "Liver", "Measured", "24.5"), Target("T2", "Lymph node", "Measured", "12")],
            [new() { ["lesionId"] = "N1", ["organ"] = "Bone", ["certainty"] = "Unequivocal" }]));

        var atBaseline = FormCalculators.Evaluate(Template, [baseline]);
        Assert.Equal("60", atBaseline["sumOfDiametersMm"]);
        var atWeek6 = FormCalculators.Evaluate(Template, [baseline, week6]);
        Assert.Equal(("36.5", "60", "-39.2", "PR", "NotApplicable", "PR"), (atWeek6["sumOfDiametersMm"], atWeek6["nadirMm"], atWeek6["changeFromBaselinePercent"], atWeek6["targetResponse"], atWeek6["nonTargetResponse"], atWeek6["overallResponse"]));
        var atWeek12 = FormCalculators.Evaluate(Template, [baseline, week6, week12]);
        Assert.Equal(("36.5", "PD", "PR", "2026-03-30"), (atWeek12["nadirMm"], atWeek12["overallResponse"], atWeek12["bestOverallResponse"], atWeek12["dateOfProgression"]));
    }

    [Fact]
    public void A_baseline_with_a_non_measurable_node_is_refused_with_the_lesion_named()
    {
        var result = FormCalculators.Evaluate(Template, [new FormTimepoint(new DateOnly(2026, 1, 5), Form([Target("T1", "Lymph node", "Measured", "12")]))]);
        var error = Assert.Single(result.Errors);
        Assert.Equal("lesion T1", error.Path);
        Assert.Empty(result.Values);
    }

    [Fact]
    public void Canonical_content_ignores_key_order_and_empty_values_so_its_hash_is_stable()
    {
        var a = new FormData(new Dictionary<string, string?> { ["imageQuality"] = "Adequate", ["comment"] = "" }, new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>>
        {
            ["targetLesions"] = [new Dictionary<string, string?> { ["organ"] = "Liver", ["lesionId"] = "T1" }],
        });
        var b = FormData.FromJson("""{"groups":{"targetLesions":[{"lesionId":"T1","organ":"Liver"}]},"fields":{"imageQuality":"Adequate"}}""");
        Assert.Equal(a.ToCanonicalJson(), b.ToCanonicalJson());
        Assert.Equal("""{"fields":{"imageQuality":"Adequate"},"groups":{"targetLesions":[{"lesionId":"T1","organ":"Liver"}]}}""", a.ToCanonicalJson());
        Assert.Equal(64, FormData.Sha256Of(a.ToCanonicalJson()).Length);
    }
}
