namespace TrialFlow.Review.Adjudication;

/// <summary>The variables a trial's charter can make trigger adjudication when two reads differ on them.</summary>
public enum AdjudicationVariable
{
    /// <summary>The overall response of the timepoint being read.</summary>
    OverallResponse,

    /// <summary>The date of progression so far (both none counts as agreement).</summary>
    DateOfProgression,

    /// <summary>The best overall response so far.</summary>
    BestOverallResponse,
}

/// <summary>What a read concluded on the adjudication variables (computed fields of the form).</summary>
public sealed record ReadConclusion(string? OverallResponse, string? DateOfProgression, string? BestOverallResponse)
{
    public string? ValueOf(AdjudicationVariable variable) => variable switch
    {
        AdjudicationVariable.OverallResponse => OverallResponse,
        AdjudicationVariable.DateOfProgression => DateOfProgression,
        _ => BestOverallResponse,
    };
}

/// <summary>The variables on which the two reads differ; adjudication is needed when there is any.</summary>
public sealed record ReadComparison(IReadOnlyList<string> Differences)
{
    public bool NeedsAdjudication => Differences.Count > 0;
}

/// <summary>Compares two independent reads on the trial's adjudication variables (pure).</summary>
public static class AdjudicationRules
{
    public static ReadComparison Compare(ReadConclusion a, ReadConclusion b, IReadOnlyCollection<AdjudicationVariable> variables) =>
        new(variables.Distinct().Order()
            .Where(v => !string.Equals(a.ValueOf(v), b.ValueOf(v), StringComparison.Ordinal))
            .Select(v => $"{v}: {a.ValueOf(v) ?? "none"} vs {b.ValueOf(v) ?? "none"}")
            .ToList());
}
