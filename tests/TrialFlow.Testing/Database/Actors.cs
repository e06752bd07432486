using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Trials;

namespace TrialFlow.Testing;

public static class Actors
{
    public static Actor StudyManager { get; } = new("u-sm", "Sam Study-Manager", TrialFlowRoles.StudyManager, SiteScope.Unrestricted);

    public static Actor DataManager { get; } = new("u-dm", "Dana Data-Manager", TrialFlowRoles.DataManager, SiteScope.Unrestricted);

    public static Actor SiteUserOf(Site site) => new($"u-site-{site.Id:N}", "Sigrid Site-Coordinator", TrialFlowRoles.SiteUser, SiteScope.Of([site.TrialId], [site.Id]));
}
