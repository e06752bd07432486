using TrialFlow.Deid.Pseudonyms;

namespace TrialFlow.Deid.Tests.Pseudonyms;

/// <summary>The same provider-neutral migrations and insert-or-get SQL on a real PostgreSQL server.</summary>
[Trait("Category", "Postgres")]
public sealed class PseudonymStorePostgresTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Pseudonym_store_migrates_and_assigns_consistently_on_PostgreSQL()
    {
        var options = new PseudonymStoreOptions(DatabaseProvider.PostgreSQL, await postgres.CreateDatabaseAsync(), new byte[32]);
        await using var first = new PseudonymStore(options);
        await first.MigrateAsync();
        await using (var db = first.CreateContext())
            Assert.Empty(await db.Database.GetPendingMigrationsAsync()); // the model itself is compared on SQLite (PseudonymMigrationTests)

        await using var second = new PseudonymStore(options);
        var uids = Enumerable.Range(0, 40).Select(i => $"1.2.826.0.7.{i}").ToArray();
        var results = await Task.WhenAll(Task.Run(() => first.GetOrCreateUidsAsync(uids)), Task.Run(() => second.GetOrCreateUidsAsync(uids)));
        foreach (var uid in uids)
        {
            Assert.StartsWith("2.25.", results[0][uid], StringComparison.Ordinal);
            Assert.Equal(results[0][uid], results[1][uid]);
        }
        Assert.Equal(await first.GetOrCreateDateOffsetAsync("101-0001"), await second.GetOrCreateDateOffsetAsync("101-0001"));
        Assert.Null(await first.LinkAsync("101", "MRN-1", "101-0001", "1.2.826.0.7.100"));
        Assert.NotNull(await second.LinkAsync("101", "MRN-2", "101-0002", "1.2.826.0.7.100"));
        Assert.Equal(await first.GetOrCreateSubjectPseudonymAsync("102", "MRN-9"), await second.GetOrCreateSubjectPseudonymAsync("102", "MRN-9"));
    }
}
