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

/// <summary>Compares independent reads on the trial's adjudication variables (pure).</summary>
public static class AdjudicationRules
{
    public static ReadComparison Compare(ReadConclusion a, ReadConclusion b, IReadOnlyCollection<AdjudicationVariable> variables) =>
        CompareAll([a, b], variables);

    /// <summary>
    /// Compares every read of a timepoint (slot order): a variable on which any two differ is a difference, listed with
    /// every read's value in slot order ("OverallResponse: PR vs PR vs SD"). No majority rule: with three or more readers
    /// any disagreement goes to the adjudicator, who sees every read.
    /// </summary>
    public static ReadComparison CompareAll(IReadOnlyList<ReadConclusion> reads, IReadOnlyCollection<AdjudicationVariable> variables)
    {
        if (reads.Count < 2)
            throw new ArgumentException($"A comparison needs at least two reads; {reads.Count} given.", nameof(reads));
        return new(variables.Distinct().Order()
            .Where(v => reads.Select(r => r.ValueOf(v)).Distinct(StringComparer.Ordinal).Skip(1).Any())
            .Select(v => $"{v}: {string.Join(" vs ", reads.Select(r => r.ValueOf(v) ?? "none"))}")
            .ToList());
    }
}
