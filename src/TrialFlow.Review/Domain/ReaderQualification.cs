using TrialFlow.Core;
using TrialFlow.Core.Trials;

namespace TrialFlow.Review.Domain;

/// <summary>What a member of the review pool does: read timepoints, or adjudicate disagreements.</summary>
public enum ReviewerRole
{
    Reader,
    Adjudicator,
}

/// <summary>
/// A reviewer in a trial's pool: their training record and the date they qualified. Only qualified, active reviewers
/// get tasks. Adding one mid-study is adding a row: the next assignment considers them.
/// </summary>
public sealed class ReaderQualification : ITrialOwned
{
    private ReaderQualification() { }

    public ReaderQualification(Guid trialId, string userId, ReviewerRole role, string trainingRecord, DateOnly qualifiedOn, Guid? affiliatedSiteId = null)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        UserId = Guard.Required(userId, nameof(userId));
        Role = role;
        TrainingRecord = Guard.Required(trainingRecord, nameof(trainingRecord));
        QualifiedOn = qualifiedOn;
        AffiliatedSiteId = affiliatedSiteId;
        Active = true;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public string UserId { get; private set; } = "";

    public ReviewerRole Role { get; private set; }

    /// <summary>The training that qualified them (course, charter version, certificate), as the training file records it.</summary>
    public string TrainingRecord { get; private set; } = "";

    public DateOnly QualifiedOn { get; private set; }

    /// <summary>A trial site the reviewer works at: they never review that site's subjects.</summary>
    public Guid? AffiliatedSiteId { get; private set; }

    public bool Active { get; private set; }

    /// <summary>Leaves the pool: open tasks stay until a study manager reassigns them; no new ones.</summary>
    public void Deactivate() => Active = false;

    /// <summary>Back in the pool on the same qualification: the next assignment considers them again.</summary>
    public void Reactivate() => Active = true;

    public void Requalify(string trainingRecord, DateOnly qualifiedOn)
    {
        TrainingRecord = Guard.Required(trainingRecord, nameof(trainingRecord));
        QualifiedOn = qualifiedOn;
        Active = true;
    }
}
