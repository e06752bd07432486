namespace TrialFlow.Qc.Facts;

/// <summary>Every fact one study's QC session starts from.</summary>
public sealed class StudyFactSet
{
    public required StudyFact Study { get; init; }

    public IReadOnlyList<SeriesFact> Series { get; init; } = [];

    public IReadOnlyList<InstanceFact> Instances { get; init; } = [];

    public IReadOnlyList<MissingAttributeFact> MissingAttributes { get; init; } = [];

    public VisitFact? Visit { get; init; }

    public SiteFact? Site { get; init; }

    public IReadOnlyList<ProtocolFact> Protocol { get; init; } = [];

    public IReadOnlyList<RequiredSeriesFact> RequiredSeries { get; init; } = [];

    /// <summary>The facts to insert; image facts only when a rule matches them.</summary>
    public IEnumerable<object> All(bool includeInstances)
    {
        yield return Study;
        if (Visit is not null) yield return Visit;
        if (Site is not null) yield return Site;
        foreach (var f in Protocol) yield return f;
        foreach (var f in RequiredSeries) yield return f;
        foreach (var f in Series) yield return f;
        foreach (var f in MissingAttributes) yield return f;
        if (includeInstances)
            foreach (var f in Instances) yield return f;
    }
}
