namespace TrialFlow.Core.Trials;

/// <summary>
/// One planned visit of the protocol's schedule (e.g. "WK6", day 42 ± 7). Intake matches a study to a visit
/// by its date against these windows, counted from the subject's baseline.
/// </summary>
public sealed class VisitDefinition : ITrialOwned
{
    private VisitDefinition() { }

    internal VisitDefinition(Guid trialId, string visitKey, string name, int nominalDay, int windowBeforeDays, int windowAfterDays, int order)
    {
        if (windowBeforeDays < 0 || windowAfterDays < 0)
            throw new ArgumentException($"Visit {visitKey}: window days cannot be negative.");
        Id = Guid.NewGuid();
        TrialId = trialId;
        VisitKey = Guard.Required(visitKey, nameof(visitKey));
        Name = Guard.Required(name, nameof(name));
        NominalDay = nominalDay;
        WindowBeforeDays = windowBeforeDays;
        WindowAfterDays = windowAfterDays;
        Order = order;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    /// <summary>The visit identifier the EDC uses (the ODM StudyEventOID or its short name).</summary>
    public string VisitKey { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>Planned study day relative to baseline (day 0).</summary>
    public int NominalDay { get; private set; }

    public int WindowBeforeDays { get; private set; }

    public int WindowAfterDays { get; private set; }

    /// <summary>Position in the schedule, 1-based.</summary>
    public int Order { get; private set; }

    /// <summary>Whether a scan on <paramref name="date"/> falls within this visit's window for a subject whose baseline was <paramref name="baseline"/>.</summary>
    public bool IsWithinWindow(DateOnly baseline, DateOnly date)
    {
        var day = date.DayNumber - baseline.DayNumber;
        return day >= NominalDay - WindowBeforeDays && day <= NominalDay + WindowAfterDays;
    }
}
