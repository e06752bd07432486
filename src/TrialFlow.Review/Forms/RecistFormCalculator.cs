using System.Globalization;
using TrialFlow.Review.Recist;

namespace TrialFlow.Review.Forms;

/// <summary>Reads the RECIST 1.1 form (templates/forms/recist-1.1.json) into timepoints and runs <see cref="RecistCalculator"/>.</summary>
internal sealed class RecistFormCalculator : IFormCalculator
{
    public const string CalculatorName = "recist-1.1";

    public string Name => CalculatorName;

    public FormComputation Compute(IReadOnlyList<FormTimepoint> timepoints)
    {
        var assessments = timepoints.Select(t => ToAssessment(t.Date, t.Data)).ToList();
        var values = new Dictionary<string, string?>();
        if (assessments.Count == 1)
        {
            var problems = RecistBaselineValidator.Validate(assessments[0]);
            if (problems.Count > 0)
                return Failed(problems);
            var sum = assessments[0].TargetLesions.Sum(t => t.DiameterMm!.Value);
            values["sumOfDiametersMm"] = Number(sum);
            values["baselineSumMm"] = Number(sum);
            return new FormComputation(values, []);
        }

        RecistEvaluation evaluation;
        try
        {
            evaluation = RecistCalculator.Evaluate(assessments);
        }
        catch (RecistBaselineException e)
        {
            return Failed(e.Problems.Select(p => p with { Where = $"baseline {p.Where}" }).ToList());
        }
        var latest = evaluation.FollowUps[^1];
        values["sumOfDiametersMm"] = Number(latest.SumOfDiametersMm);
        values["baselineSumMm"] = Number(evaluation.BaselineSumMm);
        values["nadirMm"] = Number(latest.NadirMm);
        values["changeFromBaselinePercent"] = Number(latest.ChangeFromBaselinePercent);
        values["changeFromNadirPercent"] = Number(latest.ChangeFromNadirPercent);
        values["targetResponse"] = latest.TargetResponse.ToString();
        values["nonTargetResponse"] = latest.NonTargetResponse.ToString();
        values["newLesion"] = latest.NewLesion ? "true" : "false";
        values["overallResponse"] = latest.OverallResponse.ToString();
        values["bestOverallResponse"] = evaluation.BestOverallResponse.ToString();
        values["dateOfProgression"] = evaluation.DateOfProgression?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new FormComputation(values, []);
    }

    internal static TimepointAssessment ToAssessment(DateOnly date, FormData data)
    {
        var targets = data.Rows("targetLesions").Select(r => new TargetLesion(
            Value(r, "lesionId") ?? "",
            Value(r, "organ") ?? "",
            IsNode(Value(r, "organ")),
            Enum.TryParse<TargetLesionStatus>(Value(r, "status"), out var s) ? s : TargetLesionStatus.NotEvaluable,
            decimal.TryParse(Value(r, "diameterMm"), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null)).ToList();
        var nonTargets = data.Rows("nonTargetLesions").Select(r => new NonTargetLesion(
            Value(r, "lesionId") ?? "",
            Value(r, "organ") ?? "",
            IsNode(Value(r, "organ")),
            Enum.TryParse<NonTargetLesionStatus>(Value(r, "status"), out var s) ? s : NonTargetLesionStatus.NotEvaluable)).ToList();
        var certainties = data.Rows("newLesions").Select(r => Value(r, "certainty")).ToList();
        var newLesions = certainties.Contains("Unequivocal") ? NewLesionStatus.Unequivocal
            : certainties.Count > 0 ? NewLesionStatus.Equivocal
            : NewLesionStatus.None;
        return new TimepointAssessment(date, targets, nonTargets, newLesions);
    }

    // RECIST 1.1 §4.1: all lymph nodes together count as one organ.
    private static bool IsNode(string? organ) => string.Equals(organ, "Lymph node", StringComparison.OrdinalIgnoreCase);

    private static string? Value(IReadOnlyDictionary<string, string?> row, string key) =>
        row.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    private static string? Number(decimal? value) => value?.ToString("0.#", CultureInfo.InvariantCulture);

    private static FormComputation Failed(IReadOnlyList<RecistProblem> problems) =>
        new(new Dictionary<string, string?>(), problems.Select(p => new FormError(p.Where, p.Message)).ToList());
}
