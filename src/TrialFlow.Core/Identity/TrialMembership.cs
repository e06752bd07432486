namespace TrialFlow.Core.Identity;

/// <summary>
/// A trial a user works on. A person's roles say what they do (read, manage, monitor); their trial memberships say on
/// which trials they do it: a reader of trial A sees nothing of trial B, a study manager manages only the trials
/// assigned to them. Administrators administer the installation and need none.
/// </summary>
/// <remarks>
/// Not filtered by trial: sign-in reads a user's memberships to build the scope the filters need. Only administrators
/// change them (the users API).
/// </remarks>
public sealed class TrialMembership
{
    private TrialMembership() { }

    public TrialMembership(string userId, Guid trialId)
    {
        UserId = userId;
        TrialId = trialId;
    }

    public string UserId { get; private set; } = "";

    public Guid TrialId { get; private set; }
}
