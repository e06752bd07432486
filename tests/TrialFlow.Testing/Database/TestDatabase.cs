using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Testing;

/// <summary>A migrated SQLite database in its own temporary folder, deleted when the test ends.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly IConfiguration? _configuration;

    private TestDatabase(string directory, DatabaseOptions options, IConfiguration? configuration = null)
    {
        Directory = directory;
        Options = options;
        _configuration = configuration;
    }

    public string Directory { get; }

    public DatabaseOptions Options { get; private set; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 9, 30, 0, TimeSpan.Zero));

    /// <param name="settings">Further configuration, e.g. <c>TrialFlow:Audit:CheckpointEvery</c>.</param>
    public static async Task<TestDatabase> CreateSqliteAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "trialflow-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = directory })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var database = new TestDatabase(directory, DatabaseOptions.FromConfiguration(configuration), configuration);
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

    /// <summary>
    /// What a restart of the application does to the audit anchor: the key ring is read afresh (picking up a rotation),
    /// nothing is remembered about checkpoints written before.
    /// </summary>
    public void Restart() =>
        Options = _configuration is null
            ? new DatabaseOptions(Options.DataDirectory, Options.Provider, Options.ConnectionString) { Audit = Options.Audit }
            : DatabaseOptions.FromConfiguration(_configuration);

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
        // SQLite databases live in the folder; PostgreSQL tests give theirs one for the audit key ring and checkpoints.
        var own = Options.Provider == DatabaseProvider.Sqlite || Directory.StartsWith(Path.Combine(Path.GetTempPath(), "trialflow-tests"), StringComparison.Ordinal);
        if (own && System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
