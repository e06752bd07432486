namespace TrialFlow.Qc.Tests.Rules;

public sealed class OperatorTests
{
    private static readonly SeriesFact Series = new()
    {
        Uid = "1.2.3.4",
        Number = 3,
        Modality = "CT",
        Description = "Portal Venous AX",
        SliceThickness = 2.5,
        Kvp = 120,
        IsLocalizer = false,
        Images = 80,
    };

    [Theory]
    [InlineData("{ field: s.SliceThickness, op: eq, value: 2.5 }", true)]
    [InlineData("{ field: s.SliceThickness, op: eq, value: 2.0 }", false)]
    [InlineData("{ field: s.SliceThickness, op: ne, value: 2.0 }", true)]
    [InlineData("{ field: s.SliceThickness, op: ne, value: 2.5 }", false)]
    [InlineData("{ field: s.SliceThickness, op: lt, value: 3 }", true)]
    [InlineData("{ field: s.SliceThickness, op: lt, value: 2.5 }", false)]
    [InlineData("{ field: s.SliceThickness, op: le, value: 2.5 }", true)]
    [InlineData("{ field: s.SliceThickness, op: le, value: 2.4 }", false)]
    [InlineData("{ field: s.SliceThickness, op: gt, value: 2 }", true)]
    [InlineData("{ field: s.SliceThickness, op: gt, value: 2.5 }", false)]
    [InlineData("{ field: s.SliceThickness, op: ge, value: 2.5 }", true)]
    [InlineData("{ field: s.SliceThickness, op: ge, value: 2.6 }", false)]
    [InlineData("{ field: s.SliceThickness, op: between, min: 2.5, max: 5 }", true)]
    [InlineData("{ field: s.SliceThickness, op: between, min: 3, max: 5 }", false)]
    [InlineData("{ field: s.SliceThickness, op: between, max: 3 }", true)]
    [InlineData("{ field: s.SliceThickness, op: outside, min: 0.5, max: 2 }", true)]
    [InlineData("{ field: s.SliceThickness, op: outside, min: 0.5, max: 2.5 }", false)]
    [InlineData("{ field: s.SliceThickness, op: outside, min: 3 }", true)]
    [InlineData("{ field: s.Images, op: ge, value: 80 }", true)]
    [InlineData("{ field: s.Number, op: eq, value: 3 }", true)]
    [InlineData("{ field: s.PixelSpacing, op: missing }", true)]
    [InlineData("{ field: s.SliceThickness, op: missing }", false)]
    [InlineData("{ field: s.SliceThickness, op: present }", true)]
    [InlineData("{ field: s.PixelSpacing, op: present }", false)]
    public void Number_operators_decide_as_documented(string condition, bool fires) => Assert.Equal(fires, QcRules.Fires(condition, Series));

    [Theory]
    [InlineData("{ field: s.Modality, op: eq, value: ct }", true)]
    [InlineData("{ field: s.Modality, op: eq, value: MR }", false)]
    [InlineData("{ field: s.Modality, op: ne, value: MR }", true)]
    [InlineData("{ field: s.Modality, op: ne, value: CT }", false)]
    [InlineData("{ field: s.Modality, op: in, value: [MR, CT] }", true)]
    [InlineData("{ field: s.Modality, op: in, value: [MR, PT] }", false)]
    [InlineData("{ field: s.Modality, op: notIn, value: [MR, PT] }", true)]
    [InlineData("{ field: s.Modality, op: notIn, value: [CT] }", false)]
    [InlineData("{ field: s.Modality, op: notIn, value: [] }", false)]
    [InlineData("{ field: s.Description, op: contains, value: venous }", true)]
    [InlineData("{ field: s.Description, op: contains, value: arterial }", false)]
    [InlineData("{ field: s.Description, op: startsWith, value: portal }", true)]
    [InlineData("{ field: s.Description, op: startsWith, value: venous }", false)]
    [InlineData("{ field: s.Description, op: matches, value: 'Venous\\s+AX$' }", true)]
    [InlineData("{ field: s.Description, op: matches, value: '^venous' }", false)]
    [InlineData("{ field: s.Description, op: notMatches, value: '(?i)arterial' }", true)]
    [InlineData("{ field: s.Description, op: notMatches, value: '(?i)portal' }", false)]
    [InlineData("{ field: s.BodyPart, op: missing }", true)]
    [InlineData("{ field: s.Modality, op: missing }", false)]
    [InlineData("{ field: s.Modality, op: present }", true)]
    [InlineData("{ field: s.BodyPart, op: present }", false)]
    public void Text_operators_decide_as_documented(string condition, bool fires) => Assert.Equal(fires, QcRules.Fires(condition, Series));

    [Theory]
    [InlineData("{ field: s.IsLocalizer, op: eq, value: false }", true)]
    [InlineData("{ field: s.IsLocalizer, op: eq, value: true }", false)]
    [InlineData("{ field: s.IsLocalizer, op: ne, value: true }", true)]
    [InlineData("{ field: s.IsLocalizer, op: ne, value: false }", false)]
    public void Boolean_operators_decide_as_documented(string condition, bool fires) => Assert.Equal(fires, QcRules.Fires(condition, Series));

    [Theory]
    [InlineData("contains", "ge revolution", true)]
    [InlineData("contains", "Philips IQon", false)]
    [InlineData("notContains", "Philips IQon", true)]
    [InlineData("notContains", "GE Revolution", false)]
    public void Text_list_membership_ignores_case(string op, string value, bool fires) =>
        Assert.Equal(fires, FiresOnScanners($"{{ field: site.QualifiedScanners, op: {op}, value: '{value}' }}", ["GE Revolution", "SIEMENS Force"]));

    [Theory]
    [InlineData("empty", 0, true)]
    [InlineData("empty", 2, false)]
    [InlineData("notEmpty", 2, true)]
    [InlineData("notEmpty", 0, false)]
    public void Text_list_emptiness(string op, int count, bool fires) =>
        Assert.Equal(fires, FiresOnScanners($"{{ field: site.QualifiedScanners, op: {op} }}", Enumerable.Repeat("X", count).ToArray()));

    [Fact]
    public void Every_listed_operator_is_covered_by_a_test_above()
    {
        // A new operator needs a row in the theories above; this fails until it has one.
        var tested = new HashSet<string>
        {
            "Number:eq", "Number:ne", "Number:lt", "Number:le", "Number:gt", "Number:ge", "Number:between", "Number:outside", "Number:missing", "Number:present",
            "Text:eq", "Text:ne", "Text:in", "Text:notIn", "Text:contains", "Text:startsWith", "Text:matches", "Text:notMatches", "Text:missing", "Text:present",
            "Boolean:eq", "Boolean:ne", "TextList:contains", "TextList:notContains", "TextList:empty", "TextList:notEmpty",
        };
        Assert.Equal(tested.Order(), Operators.All.Select(o => $"{o.Kind}:{o.Name}").Order());
    }

    private static bool FiresOnScanners(string condition, string[] qualifiedScanners) =>
        QcRules.Run(QcRules.Rule(condition, fact: "Site", alias: "site"),
            new StudyFactSet { Study = new StudyFact(), Site = new SiteFact { Number = "101", QualifiedScanners = qualifiedScanners } }).Findings.Count == 1;
}
