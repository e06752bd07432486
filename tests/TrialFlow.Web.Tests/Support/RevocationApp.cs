using Microsoft.AspNetCore.Hosting;

namespace TrialFlow.Web.Tests.Support;

/// <summary>
/// TrialFlow re-reading security stamps on every request, so a test sees a revoked session fail at once instead of
/// within the minute production allows (that bound is proven on the stamp cache with a fake clock).
/// </summary>
public sealed class RevocationApp : TrialFlowApp
{
    protected override void ConfigureSettings(IWebHostBuilder builder) =>
        builder.UseSetting("TrialFlow:Sessions:StampCheckInterval", "00:00:00");
}

[CollectionDefinition(Name)]
public sealed class RevocationCollection : ICollectionFixture<RevocationApp>
{
    public const string Name = "TrialFlow app checking stamps on every request";
}
