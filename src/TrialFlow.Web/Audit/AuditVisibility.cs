using TrialFlow.Core.Access;
using TrialFlow.Core.Audit;

namespace TrialFlow.Web.Audit;

/// <summary>
/// Which audit events a reader of the trail sees: administrators all; anyone else the events of the sites in their scope
/// and the events that belong to no site (sign-ins, user and installation changes). A study manager or inspector of one
/// trial does not read another trial's site records through the trail.
/// </summary>
/// <remarks>
/// The chain itself is verified whole (GET /api/audit/verify reports counts and the first broken link, no content).
/// Site-less events of another trial's trial-level records (its review settings, its schedule) are still listed; an
/// event carries a site, not a trial.
/// </remarks>
public static class AuditVisibility
{
    public static IQueryable<AuditEvent> Visible(IQueryable<AuditEvent> events, SiteScope scope)
    {
        if (scope.IsUnrestricted)
            return events;
        var sites = scope.SiteIds.ToList();
        return events.Where(e => e.SiteId == null || sites.Contains(e.SiteId.Value));
    }
}
