namespace TrialFlow.Qc.Tests.Rules;

public sealed class ValidationTests
{
    private static QcFileError Single(string rules) => Assert.Single(QcRules.Reject(rules).Errors);

    [Theory]
    [InlineData("{ field: s.SliceThikness, op: gt, value: 5 }", "unknown field 'SliceThikness' of Series")]
    [InlineData("{ field: s.SliceThickness, op: gt, value: thick }", "'thick' is not a number")]
    [InlineData("{ field: s.Modality, op: gt, value: CT }", "operator 'gt' does not apply to text field s.Modality")]
    [InlineData("{ expr: \"s.Rows < < 5\" }", "does not parse")]
    public void A_condition_that_cannot_be_checked_is_named_with_file_line_rule_and_reason(string condition, string reason)
    {
        var error = Single(QcRules.Rule(condition));
        Assert.Equal((QcRules.File, 10, "R1"), (error.File, error.Line, error.RuleId));
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void A_reference_to_a_field_of_the_wrong_type_is_rejected()
    {
        var error = Single("""
              - id: JOIN
                description: d
                severity: major
                match:
                  - fact: Protocol
                    as: p
                  - fact: Series
                    as: s
                    where:
                      - { field: s.SliceThickness, op: gt, value: p.Modality }
                message: m
            """);
        Assert.Equal((12, "JOIN"), (error.Line, error.RuleId));
        Assert.Contains("p.Modality is a text field, a number is needed", error.Reason);
    }

    [Fact]
    public void An_undefined_alias_is_rejected_in_conditions_expressions_and_messages()
    {
        var errors = QcRules.Reject("""
              - id: ALIAS
                description: d
                severity: major
                match:
                  - fact: Series
                    as: s
                    where:
                      - { field: s.Modality, op: eq, value: q.Modality }
                      - { expr: "x.Rows > 5" }
                message: "{p.Modality}"
            """).Errors;
        Assert.Equal([10, 11, 12], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal("ALIAS", e.RuleId));
        Assert.Contains("undefined alias 'q'", errors[0].Reason);
        Assert.Contains("undefined alias 'x'", errors[1].Reason);
        Assert.Contains("undefined alias 'p'", errors[2].Reason);
    }

    [Fact]
    public void An_absent_fact_cannot_be_named_later()
    {
        var error = Single("""
              - id: ABSENT
                description: d
                severity: major
                match:
                  - fact: Protocol
                    as: p
                  - fact: Series
                    as: s
                    absent: true
                message: "{s.Modality}"
            """);
        Assert.Equal((12, "ABSENT"), (error.Line, error.RuleId));
        Assert.Contains("undefined alias 's'", error.Reason);
    }

    [Fact]
    public void Unknown_facts_severities_operators_and_keys_are_each_reported()
    {
        var errors = QcRules.Reject("""
              - id: MANY
                description: d
                severity: fatal
                colour: red
                match:
                  - fact: Patient
                    as: pt
                  - fact: Series
                    as: s
                    where:
                      - { field: s.Modality, op: like, value: CT }
                      - { field: s.Description, op: matches, value: "([" }
                message: m
            """).Errors;
        Assert.Collection(errors.OrderBy(e => e.Line),
            e => Assert.Contains("severity must be info, minor, major or critical, got 'fatal'", e.Reason),
            e => Assert.Contains("unknown key 'colour'", e.Reason),
            e => Assert.Contains("unknown fact 'Patient'", e.Reason),
            e => Assert.Contains("unknown operator 'like'", e.Reason),
            e => Assert.Contains("is not a valid regular expression", e.Reason));
        Assert.Equal([5, 6, 8, 13, 14], errors.Select(e => e.Line).Order());
    }

    [Fact]
    public void Duplicate_rule_ids_are_rejected()
    {
        const string rule = """
              - id: SAME
                description: d
                severity: info
                match:
                  - { fact: Study, as: st }
                message: m

            """;
        var error = Single(rule + rule);
        Assert.Equal(("SAME", 9), (error.RuleId, error.Line));
        Assert.Contains("used twice", error.Reason);
    }

    [Fact]
    public void Broken_yaml_is_reported_at_its_line()
    {
        var e = Assert.Throws<RulesetException>(() => RulesetCompiler.Compile("broken.yaml", "ruleset: x\nrules:\n  - id: A\n    match: [\n"));
        var error = Assert.Single(e.Errors);
        Assert.Equal("broken.yaml", error.File);
        Assert.True(error.Line >= 4, error.ToString());
        Assert.Contains("not valid YAML", error.Reason);
    }

    [Fact]
    public void The_shipped_default_ruleset_compiles_and_covers_the_required_checks()
    {
        var ruleset = RulesetCompiler.Compile("trial-default.yaml", File.ReadAllText(Repository.Path("rulesets", "qc", "trial-default.yaml")));
        Assert.Equal("trial-default", ruleset.Name);
        Assert.Superset(
            new HashSet<string> { "QC-MODALITY", "QC-SLICE-THICKNESS", "QC-CONTRAST-TIMING", "QC-VISIT-WINDOW", "QC-REQUIRED-SERIES", "QC-PIXEL-SPACING", "QC-MATRIX", "QC-MISSING-ATTRIBUTE" },
            ruleset.Rules.Select(r => r.Id).ToHashSet());
    }
}
