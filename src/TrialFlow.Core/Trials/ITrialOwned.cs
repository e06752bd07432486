namespace TrialFlow.Core.Trials;

/// <summary>
/// A record that belongs to one trial but to no site (a visit definition, a read task, the review settings). The data
/// layer filters such records by the caller's trials and refuses writes outside them, as it does site-owned records by
/// site; a record that is also <see cref="ISiteOwned"/> is filtered by its site, which lies within its trial.
/// </summary>
public interface ITrialOwned
{
    Guid TrialId { get; }
}
