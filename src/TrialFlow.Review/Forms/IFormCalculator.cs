namespace TrialFlow.Review.Forms;

/// <summary>One timepoint of one reader's series for a subject: the scan's date and what the reader entered.</summary>
public sealed record FormTimepoint(DateOnly Date, FormData Data);

/// <summary>The computed fields of the latest timepoint, or the reasons they could not be computed.</summary>
public sealed record FormComputation(IReadOnlyDictionary<string, string?> Values, IReadOnlyList<FormError> Errors)
{
    public string? this[string key] => Values.TryGetValue(key, out var v) ? v : null;
}

/// <summary>
/// Computes a template's computed fields. Computations look at the same reader's earlier timepoints of the subject
/// (baseline first, the timepoint being read last): RECIST's nadir and best response need the whole series.
/// </summary>
public interface IFormCalculator
{
    string Name { get; }

    FormComputation Compute(IReadOnlyList<FormTimepoint> timepoints);
}

/// <summary>The calculators templates can name.</summary>
public static class FormCalculators
{
    private static readonly Dictionary<string, IFormCalculator> ByName = new(StringComparer.Ordinal)
    {
        [RecistFormCalculator.CalculatorName] = new RecistFormCalculator(),
    };

    public static IFormCalculator? Find(string? name) => name is not null && ByName.TryGetValue(name, out var c) ? c : null;

    /// <summary>Validates the latest timepoint against the template and, when valid, computes its fields.</summary>
    public static FormComputation Evaluate(FormTemplate template, IReadOnlyList<FormTimepoint> timepoints)
    {
        var errors = FormValidator.Validate(template, timepoints[^1].Data);
        if (errors.Count > 0)
            return new FormComputation(new Dictionary<string, string?>(), errors);
        return Find(template.Calculator) is { } calculator ? calculator.Compute(timepoints) : new FormComputation(new Dictionary<string, string?>(), []);
    }
}
