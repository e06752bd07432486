using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Core.Tests.Support;

/// <summary>A migrated SQLite database in its own temporary folder, deleted when the test ends.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string directory, DatabaseOptions options)
    {
        Directory = directory;
        Options = options;
    }

    public string Directory { get; }

    public DatabaseOptions Options { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 9, 30, 0, TimeSpan.Zero));

    public static async Task<TestDatabase> CreateSqliteAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "trialflow-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = directory })
            .Build();
        var database = new TestDatabase(directory, DatabaseOptions.FromConfiguration(configuration));
        await using var db = database.Context(Actor.System("tests"));
        await db.MigrateAsync();
        return database;
    }

    public static async Task<TestDatabase> CreateOnAsync(DatabaseOptions options)
    {
        var database = new TestDatabase(options.DataDirectory, options);
        await using var db = database.Context(Actor.System("tests"));
        await db.MigrateAsync();
        return database;
    }

    public TrialFlowDbContext Context(Actor actor)
    {
        return DatabaseServiceCollectionExtensions.CreateContext(Options, actor, Clock);
    }

    /// <summary>Runs SQL straight against the database file, bypassing TrialFlow, as an intruder would.</summary>
    public async Task<int> ExecuteRawAsync(string sql)
    {
        await using var db = Context(Actor.System("tests"));
        return await db.Database.ExecuteSqlRawAsync(sql);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Options.Provider == DatabaseProvider.Sqlite && System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
