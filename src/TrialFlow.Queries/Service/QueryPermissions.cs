using TrialFlow.Queries.Domain;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;

namespace TrialFlow.Queries.Service;

/// <summary>
/// Who may take which step. Site scoping comes on top (the data layer hides other sites' queries). Inspectors read
/// only; blinded readers see no site records, queries included.
/// </summary>
public static class QueryPermissions
{
    /// <summary>CRO and sponsor roles that raise queries and decide on answers (the monitor for the sites it visits).</summary>
    public static IReadOnlyList<string> Raisers { get; } =
        [TrialFlowRoles.QcLead, TrialFlowRoles.DataManager, TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator, TrialFlowRoles.Monitor];

    /// <summary>Roles a query may be addressed to: the site, or a CRO/sponsor role.</summary>
    public static IReadOnlyList<string> Addressable { get; } =
        [TrialFlowRoles.SiteUser, TrialFlowRoles.DataManager, TrialFlowRoles.QcLead, TrialFlowRoles.StudyManager];

    public static bool CanRaise(Actor actor) => IsSystem(actor) || Raisers.Contains(actor.Role);

    /// <summary>The addressed role answers; an administrator may answer on anyone's behalf.</summary>
    public static bool CanAnswer(Actor actor, Query query) =>
        actor.Role == query.AddressedTo || actor.Role == TrialFlowRoles.Administrator;

    /// <summary>Resolve, reopen, close and cancel: the raiser side (any raiser role, or whoever raised it).</summary>
    public static bool CanDecide(Actor actor, Query query) =>
        IsSystem(actor) || (actor.Role != TrialFlowRoles.Monitor && Raisers.Contains(actor.Role)) || actor.UserId == query.RaisedById;

    private static bool IsSystem(Actor actor) => actor.Role == "System";
}
