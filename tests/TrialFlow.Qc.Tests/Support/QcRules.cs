using TrialFlow.Qc.Evaluation;

namespace TrialFlow.Qc.Tests.Support;

/// <summary>Small rulesets written inline, compiled and run over hand-made facts.</summary>
internal static class QcRules
{
    public const string File = "test.yaml";

    public static CompiledRuleset Compile(string rules) => RulesetCompiler.Compile(File, "ruleset: test\nrules:\n" + rules);

    public static RulesetException Reject(string rules) => Assert.Throws<RulesetException>(() => Compile(rules));

    public static QcEvaluation Run(string rules, StudyFactSet facts) => QcEvaluator.Evaluate(Compile(rules), facts);

    /// <summary>
    /// One rule, R1, over one fact with one condition, the condition on line 10 of the file; most tests are about
    /// a condition, and the YAML around it is the same in all of them.
    /// </summary>
    public static string Rule(string condition, string fact = "Series", string alias = "s") => $$"""
          - id: R1
            description: test
            severity: major
            match:
              - fact: {{fact}}
                as: {{alias}}
                where:
                  - {{condition}}
            message: fired
        """;

    /// <summary>One rule over one Series fact with the given condition; true when it fires.</summary>
    public static bool Fires(string condition, SeriesFact series) => Run(Rule(condition), Study(series)).Findings.Count == 1;

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
