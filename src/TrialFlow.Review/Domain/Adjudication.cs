using TrialFlow.Core;
using TrialFlow.Core.Events;
using TrialFlow.Core.Trials;
using TrialFlow.Review.Events;

namespace TrialFlow.Review.Domain;

public enum AdjudicationStatus
{
    Open,
    Decided,
}

/// <summary>
/// Two independent reads of a timepoint that differ on the trial's adjudication variables. The adjudicator sees both
/// side by side and accepts one, with a rationale; the accepted read is flagged (RSACPTFL). The decision raises
/// <see cref="AdjudicationDecided"/>.
/// </summary>
public sealed class Adjudication : IRaisesEvents, ITrialOwned
{
    private readonly List<IModuleEvent> _raised = [];

    private Adjudication() { }

    public Adjudication(Guid trialId, Guid studyId, Guid subjectId, Guid readAId, Guid readBId, string differences, string adjudicatorUserId, DateTime openedAt, DateTime dueAt)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        StudyId = studyId;
        SubjectId = subjectId;
        ReadAId = readAId;
        ReadBId = readBId;
        Differences = differences;
        AdjudicatorUserId = adjudicatorUserId;
        OpenedAt = openedAt;
        DueAt = dueAt;
        Status = AdjudicationStatus.Open;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid StudyId { get; private set; }

    public Guid SubjectId { get; private set; }

    public Guid ReadAId { get; private set; }

    public Guid ReadBId { get; private set; }

    /// <summary>What differed, e.g. "OverallResponse: PR vs SD".</summary>
    public string Differences { get; private set; } = "";

    public string AdjudicatorUserId { get; private set; } = "";

    public AdjudicationStatus Status { get; private set; }

    public DateTime OpenedAt { get; private set; }

    public DateTime DueAt { get; private set; }

    public Guid? AcceptedReadId { get; private set; }

    public string? Rationale { get; private set; }

    public DateTime? DecidedAt { get; private set; }

    public Guid? SignatureId { get; private set; }

    public void Decide(Guid acceptedReadId, string rationale, ElectronicSignature signature) =>
        Decide(acceptedReadId, rationale, signature, [ReadAId, ReadBId]);

    /// <summary>
    /// Accepts one of the <paramref name="comparedReads"/>: slots 1 and 2 (<see cref="ReadAId"/>, <see cref="ReadBId"/>)
    /// and, with more readers per timepoint, the further slots' reads that were compared with them.
    /// </summary>
    public void Decide(Guid acceptedReadId, string rationale, ElectronicSignature signature, IReadOnlyCollection<Guid> comparedReads)
    {
        if (Status == AdjudicationStatus.Decided)
            throw new ReviewStateException($"Adjudication {Id} was decided already; its decision is locked.");
        if (!comparedReads.Contains(ReadAId) || !comparedReads.Contains(ReadBId))
            throw new ArgumentException($"The reads compared by adjudication {Id} include its reads A and B.", nameof(comparedReads));
        if (!comparedReads.Contains(acceptedReadId))
            throw new ArgumentException($"Read {acceptedReadId} is not one of the {comparedReads.Count} reads of adjudication {Id}.", nameof(acceptedReadId));
        AcceptedReadId = acceptedReadId;
        Rationale = Guard.Required(rationale, nameof(rationale));
        DecidedAt = signature.SignedAt;
        SignatureId = signature.Id;
        Status = AdjudicationStatus.Decided;
        _raised.Add(new AdjudicationDecided(Id, TrialId, StudyId, acceptedReadId, signature.SignedAt));
    }

    /// <summary>A study manager gives the adjudication to another adjudicator (with a reason, audited).</summary>
    public void Reassign(string adjudicatorUserId, DateTime dueAt)
    {
        if (Status == AdjudicationStatus.Decided)
            throw new ReviewStateException($"Adjudication {Id} was decided already.");
        AdjudicatorUserId = adjudicatorUserId;
        DueAt = dueAt;
    }

    IReadOnlyList<IModuleEvent> IRaisesEvents.RaisedEvents() => _raised;

    void IRaisesEvents.ClearRaisedEvents() => _raised.Clear();
}
