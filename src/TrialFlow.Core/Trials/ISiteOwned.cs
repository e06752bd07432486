namespace TrialFlow.Core.Trials;

/// <summary>
/// A record that belongs to one site. The data layer filters such records by the caller's site scope and
/// refuses writes outside it; the audit trail records the site of every change.
/// </summary>
public interface ISiteOwned
{
    Guid SiteId { get; }
}

/// <summary>
/// A record that was submitted (e.g. a study whose intake completed). Changing or deleting it afterwards
/// requires a reason, which the audit trail stores with the change (21 CFR Part 11 §11.10(e)).
/// </summary>
public interface ISubmittedRecord
{
    bool IsSubmitted { get; }
}
