using TrialFlow.Qc.Evaluation;

namespace TrialFlow.Qc.Tests.Support;

/// <summary>Small rulesets written inline, compiled and run over hand-made facts.</summary>
internal static class QcRules
{
    public const string File = "test.yaml";

    public static CompiledRuleset Compile(string rules) => RulesetCompiler.Compile(File, "ruleset: test\nrules:\n" + rules);

    public static RulesetException Reject(string rules) => Assert.Throws<RulesetException>(() => Compile(rules));

    public static QcEvaluation Run(string rules, StudyFactSet facts) => QcEvaluator.Evaluate(Compile(rules), facts);

    /// <summary>One rule over one Series fact with the given condition; true when it fires.</summary>
    public static bool Fires(string condition, SeriesFact series) =>
        Run($$"""
              - id: R1
                description: test
                severity: major
                match:
                  - fact: Series
                    as: s
                    where:
                      - {{condition}}
                message: fired
            """, Study(series)).Findings.Count == 1;

    public static StudyFactSet Study(params SeriesFact[] series) => new() { Study = new StudyFact { Uid = "1.2.3" }, Series = series };

    public static SeriesFact Ct(double? thickness = 1.25, string description = "PORTAL VENOUS", int number = 2) => new()
    {
        Uid = $"1.2.3.{number}",
        Number = number,
        Modality = "CT",
        Description = description,
        SliceThickness = thickness,
        Images = 100,
        BodyPart = "CHEST",
    };
}
