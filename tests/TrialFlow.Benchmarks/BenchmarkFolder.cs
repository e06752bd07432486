namespace TrialFlow.Benchmarks;

/// <summary>
/// A fresh data folder for one benchmark run and the configuration that points TrialFlow at it; deleted when the run
/// ends, so repeated runs neither fill the disk nor start from an earlier run's database.
/// </summary>
internal sealed class BenchmarkFolder : IDisposable
{
    public BenchmarkFolder(string benchmark, IReadOnlyDictionary<string, string?>? settings = null, string? parent = null)
    {
        Path = System.IO.Path.Combine(parent ?? System.IO.Path.GetTempPath(), $"trialflow-bench-{benchmark}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
        Configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = Path })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        Database = DatabaseOptions.FromConfiguration(Configuration);
    }

    public string Path { get; }

    public IConfiguration Configuration { get; }

    public DatabaseOptions Database { get; }

    public void Dispose()
    {
        // SQLite's pooled connections keep the database files open; the folder cannot go while they do.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
