namespace TrialFlow.Qc.Tests.Rules;

public sealed class JoinTests
{
    private const string ThicknessRule = """
          - id: THK
            description: thickness per protocol of the same modality
            severity: major
            match:
              - fact: Protocol
                as: p
              - fact: Series
                as: s
                where:
                  - { field: s.Modality, op: eq, value: p.Modality }
                  - { field: s.SliceThickness, op: outside, min: p.SliceThicknessMin, max: p.SliceThicknessMax }
            message: "{s.Number}:{p.Requirement}"
        """;

    [Fact]
    public void A_join_pairs_each_series_only_with_the_requirement_of_its_modality()
    {
        var facts = new StudyFactSet
        {
            Study = new StudyFact(),
            Protocol = [new ProtocolFact { Requirement = "ct", Modality = "CT", SliceThicknessMax = 5 }, new ProtocolFact { Requirement = "mr", Modality = "MR", SliceThicknessMax = 8 }],
            Series = [QcRules.Ct(thickness: 6, number: 2), QcRules.Ct(thickness: 3, number: 3), new SeriesFact { Uid = "9", Number = 9, Modality = "MR", SliceThickness = 6 }],
        };

        var result = QcRules.Run(ThicknessRule, facts);

        Assert.Equal(["2:ct"], result.Findings.Select(f => f.Message));
        Assert.Equal("1.2.3.2", result.Findings[0].SeriesInstanceUid);
    }

    [Fact]
    public void An_absent_pattern_fires_when_no_fact_joins_and_stays_quiet_when_one_does()
    {
        const string rule = """
              - id: REQ
                description: required series
                severity: critical
                match:
                  - fact: RequiredSeries
                    as: r
                  - fact: Series
                    as: s
                    absent: true
                    where:
                      - { field: s.Modality, op: eq, value: r.Modality }
                      - { field: s.Description, op: matches, value: r.Description }
                message: "missing {r.Name}"
            """;
        var required = new RequiredSeriesFact { Name = "venous", Modality = "CT", Description = "(?i)venous" };

        var missing = QcRules.Run(rule, new StudyFactSet { Study = new StudyFact(), RequiredSeries = [required], Series = [QcRules.Ct(description: "ARTERIAL")] });
        var present = QcRules.Run(rule, new StudyFactSet { Study = new StudyFact(), RequiredSeries = [required], Series = [QcRules.Ct(description: "ARTERIAL"), QcRules.Ct(description: "PORTAL VENOUS", number: 3)] });

        Assert.Equal(["missing venous"], missing.Findings.Select(f => f.Message));
        Assert.Empty(present.Findings);
    }

    [Fact]
    public void Equal_series_stay_two_facts()
    {
        // Facts are classes: two series with the same values are two findings, not one fact inserted twice.
        var result = QcRules.Run(ThicknessRule, new StudyFactSet
        {
            Study = new StudyFact(),
            Protocol = [new ProtocolFact { Requirement = "ct", Modality = "CT", SliceThicknessMax = 5 }],
            Series = [QcRules.Ct(thickness: 7), QcRules.Ct(thickness: 7)],
        });
        Assert.Equal(2, result.Findings.Count);
    }

    [Fact]
    public void The_outcome_fails_on_major_and_passes_with_findings_on_minor()
    {
        var facts = new StudyFactSet { Study = new StudyFact { Uid = "1" } };
        string Rule(string severity) => $$"""
              - id: R
                description: d
                severity: {{severity}}
                match:
                  - { fact: Study, as: st }
                message: m
            """;
        Assert.Equal(TrialFlow.Qc.Domain.QcOutcome.PassedWithFindings, QcRules.Run(Rule("minor"), facts).Outcome);
        Assert.Equal(TrialFlow.Qc.Domain.QcOutcome.PassedWithFindings, QcRules.Run(Rule("info"), facts).Outcome);
        Assert.Equal(TrialFlow.Qc.Domain.QcOutcome.Failed, QcRules.Run(Rule("major"), facts).Outcome);
        Assert.Equal(TrialFlow.Qc.Domain.QcOutcome.Failed, QcRules.Run(Rule("critical"), facts).Outcome);
        Assert.Equal(TrialFlow.Qc.Domain.QcOutcome.Passed, QcRules.Run(Rule("critical").Replace("Study, as: st", "Visit, as: v"), facts).Outcome);
    }
}
