using TrialFlow.Core.Trials;

namespace TrialFlow.Testing;

public static class ActiveSites
{
    /// <summary>A site the tests send data from: Active (a new site starts Planned, and intake holds what a non-active site sends).</summary>
    public static Site Active(this Site site)
    {
        site.WalkTo(SiteStatus.Active, "activated for the test", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        return site;
    }
}
