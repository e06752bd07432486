using Microsoft.EntityFrameworkCore.Metadata;
using TrialFlow.Core.Modules;

namespace TrialFlow.Architecture.Tests.Model;

/// <summary>The one database as the host composes it from the kernel and every module.</summary>
public sealed class ComposedModelTests
{
    [Fact]
    public void The_host_composes_the_kernel_and_every_module()
    {
        var parts = ModelParts.All.Select(a => a.GetName().Name).ToList();

        Assert.Equal(["TrialFlow.Core", "TrialFlow.Activation", "TrialFlow.Intake", "TrialFlow.Qc", "TrialFlow.Queries", "TrialFlow.Retrieval", "TrialFlow.Review"], parts);
    }

    [Fact]
    public async Task The_committed_migrations_match_the_composed_model()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var db = database.Context(Actor.System("tests"));

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model changed without a migration: dotnet ef migrations add NAME --project src/TrialFlow.Core --startup-project src/TrialFlow.Web (see src/TrialFlow.Core/Persistence/Migrations/README.md).");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Every_site_owned_record_of_every_module_is_filtered_by_site_unless_exempt_with_a_reason()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var db = database.Context(Actor.System("tests"));
        var entities = db.Model.GetEntityTypes().Where(e => !e.IsOwned()).ToList();

        var siteOwned = entities.Where(e => typeof(ISiteOwned).IsAssignableFrom(e.ClrType)).ToList();
        var unfiltered = siteOwned.Where(e => !HasFilter(e) && !SiteFilter.Exempt.ContainsKey(e.ClrType)).Select(e => e.ClrType.Name);
        var filteredButExempt = siteOwned.Where(e => HasFilter(e) && SiteFilter.Exempt.ContainsKey(e.ClrType)).Select(e => e.ClrType.Name);
        var filteredButNotSiteOwned = entities.Where(e => HasFilter(e) && !typeof(ISiteOwned).IsAssignableFrom(e.ClrType) && !TrialFilter.Applies(e.ClrType)).Select(e => e.ClrType.Name);

        Assert.Empty(unfiltered);
        Assert.Empty(filteredButExempt);
        Assert.Empty(filteredButNotSiteOwned);
        // The rule reaches into the modules, not only the kernel.
        Assert.Contains(siteOwned, e => e.ClrType.Assembly.GetName().Name == "TrialFlow.Queries" && HasFilter(e));
        Assert.All(SiteFilter.Exempt.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
    }

    [Fact]
    public async Task Every_trial_owned_record_of_every_module_that_no_site_filter_covers_is_filtered_by_trial()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var db = database.Context(Actor.System("tests"));
        var entities = db.Model.GetEntityTypes().Where(e => !e.IsOwned()).ToList();

        var trialOwned = entities.Where(e => TrialFilter.Applies(e.ClrType)).ToList();

        Assert.Empty(trialOwned.Where(e => !HasFilter(e)).Select(e => e.ClrType.Name));
        // The trial itself, the kernel's schedule and the modules' trial-level records (review settings, read tasks).
        Assert.Contains(trialOwned, e => e.ClrType == typeof(Trial));
        Assert.Contains(trialOwned, e => e.ClrType == typeof(VisitDefinition));
        Assert.Contains(trialOwned, e => e.ClrType.Assembly.GetName().Name == "TrialFlow.Review");
        // Every entity with a trial id either carries the interface or is site-owned (its site lies in one trial).
        var untagged = entities.Where(e => e.FindProperty("TrialId") is { ClrType: var t } && t == typeof(Guid)
                                           && !typeof(ITrialOwned).IsAssignableFrom(e.ClrType) && !typeof(ISiteOwned).IsAssignableFrom(e.ClrType)
                                           && !TrialScopeExempt.Contains(e.ClrType.Name))
            .Select(e => e.ClrType.Name);
        Assert.Empty(untagged);
    }

    // The rows the scope is built from (a user's trials): read before there is a scope to filter by.
    private static readonly HashSet<string> TrialScopeExempt = ["TrialMembership"];

    [Fact]
    public async Task Every_enum_of_every_module_is_stored_by_name()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var db = database.Context(Actor.System("tests"));

        var byNumber = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties())
            .Where(p => (Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType).IsEnum && p.GetProviderClrType() != typeof(string) && p.GetValueConverter()?.ProviderClrType != typeof(string))
            .Select(p => $"{p.DeclaringType.ClrType.Name}.{p.Name}");

        Assert.Empty(byNumber);
    }

    private static bool HasFilter(IEntityType entity) => entity.GetDeclaredQueryFilters().Count > 0;
}
