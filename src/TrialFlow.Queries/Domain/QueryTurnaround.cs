using TrialFlow.Core.Trials;

namespace TrialFlow.Queries.Domain;

/// <summary>
/// A trial's expectation of how quickly queries are answered, in the site's business days per priority. A trial
/// without a row uses <see cref="Default"/>.
/// </summary>
public sealed class QueryTurnaround : ITrialOwned
{
    public static readonly QueryTurnaround Default = new(Guid.Empty, normal: 5, high: 2, critical: 1);

    private QueryTurnaround() { }

    public QueryTurnaround(Guid trialId, int normal, int high, int critical)
    {
        TrialId = trialId;
        Set(normal, high, critical);
    }

    public Guid TrialId { get; private set; }

    public int NormalBusinessDays { get; private set; }

    public int HighBusinessDays { get; private set; }

    public int CriticalBusinessDays { get; private set; }

    public int BusinessDaysFor(QueryPriority priority) => priority switch
    {
        QueryPriority.Critical => CriticalBusinessDays,
        QueryPriority.High => HighBusinessDays,
        _ => NormalBusinessDays,
    };

    public void Set(int normal, int high, int critical)
    {
        if (normal is < 1 or > 60 || high is < 1 or > 60 || critical is < 1 or > 60 || critical > high || high > normal)
            throw new ArgumentException("Turnaround days must be 1-60 each, and critical ≤ high ≤ normal.");
        (NormalBusinessDays, HighBusinessDays, CriticalBusinessDays) = (normal, high, critical);
    }
}
