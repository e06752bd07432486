namespace TrialFlow.Core.Trials;

/// <summary>
/// A trial subject as the EDC knows them. DICOM calls the person in an image a Patient; once intake has
/// matched them to the registry they are a Subject, identified only by <see cref="SubjectKey"/>.
/// </summary>
public sealed class Subject : ISiteOwned, ISubmittedRecord
{
    private readonly List<Visit> _visits = [];

    private Subject() { }

    public Subject(Guid trialId, Guid siteId, string subjectKey, SubjectStatus status = SubjectStatus.Screening)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        SiteId = siteId;
        SubjectKey = Guard.Required(subjectKey, nameof(subjectKey));
        Status = status;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    /// <summary>The subject identifier shared with the EDC, e.g. "101-0003"; becomes the DICOM Patient ID after de-identification.</summary>
    public string SubjectKey { get; private set; } = "";

    public SubjectStatus Status { get; private set; }

    public IReadOnlyList<Visit> Visits => _visits;

    /// <summary>Once enrolled, a subject's record is submitted: later changes need a reason.</summary>
    public bool IsSubmitted => Status != SubjectStatus.Screening;

    public void ChangeStatus(SubjectStatus status) => Status = status;

    public Visit AddVisit(VisitDefinition definition, DateOnly? visitDate)
    {
        if (definition.TrialId != TrialId)
            throw new ArgumentException($"Visit {definition.VisitKey} belongs to another trial.", nameof(definition));
        var visit = new Visit(Id, SiteId, definition.Id, visitDate);
        _visits.Add(visit);
        return visit;
    }
}

public enum SubjectStatus
{
    Screening,
    Enrolled,
    Completed,
    Withdrawn,
    ScreenFailed,
}
