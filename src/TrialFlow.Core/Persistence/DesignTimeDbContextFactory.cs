using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;
using TrialFlow.Core.Access;

namespace TrialFlow.Core.Persistence;

/// <summary>Used by <c>dotnet ef migrations add</c>; see Persistence/Migrations/README.md.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<TrialFlowDbContext>
{
    public TrialFlowDbContext CreateDbContext(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = Path.GetTempPath() })
            .Build();
        return DatabaseServiceCollectionExtensions.CreateContext(DatabaseOptions.FromConfiguration(configuration), Actor.System("migrations"));
    }
}
