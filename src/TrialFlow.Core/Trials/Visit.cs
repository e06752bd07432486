namespace TrialFlow.Core.Trials;

/// <summary>A subject's actual visit: one occurrence of a <see cref="VisitDefinition"/>.</summary>
public sealed class Visit : ISiteOwned
{
    private Visit() { }

    internal Visit(Guid subjectId, Guid siteId, Guid visitDefinitionId, DateOnly? visitDate)
    {
        Id = Guid.NewGuid();
        SubjectId = subjectId;
        SiteId = siteId;
        VisitDefinitionId = visitDefinitionId;
        VisitDate = visitDate;
        Status = visitDate is null ? VisitStatus.Planned : VisitStatus.Occurred;
    }

    public Guid Id { get; private set; }

    public Guid SubjectId { get; private set; }

    /// <summary>The subject's site, kept on the visit so site scoping needs no join.</summary>
    public Guid SiteId { get; private set; }

    public Guid VisitDefinitionId { get; private set; }

    public VisitDefinition? Definition { get; private set; }

    public DateOnly? VisitDate { get; private set; }

    public VisitStatus Status { get; private set; }

    public void RecordOccurred(DateOnly date)
    {
        VisitDate = date;
        Status = VisitStatus.Occurred;
    }

    public void MarkMissed() => Status = VisitStatus.Missed;
}

public enum VisitStatus
{
    Planned,
    Occurred,
    Missed,
}
