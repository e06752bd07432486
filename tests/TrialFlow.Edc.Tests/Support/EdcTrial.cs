using Microsoft.Data.Sqlite;

namespace TrialFlow.Edc.Tests.Support;

/// <summary>
/// A migrated SQLite database holding trial TF-ONC-301 (sites 101 and 201; BASELINE day 0 −28/+0, WK06 day 42 ±7,
/// WK12 day 84 ±7) and no subjects, with the repository's EDC mapping for it.
/// </summary>
public sealed class EdcTrial : IAsyncDisposable
{
    public static readonly Actor DataManager = new("u-dm", "Dana Data-Manager", "DataManager", SiteScope.Unrestricted);

    private EdcTrial(string directory, DatabaseOptions options)
    {
        Directory = directory;
        Options = options;
    }

    public string Directory { get; }

    public DatabaseOptions Options { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 9, 30, 0, TimeSpan.Zero));

    public Guid TrialId { get; private set; }

    public Dictionary<string, Guid> Sites { get; } = [];

    public Dictionary<string, VisitDefinition> Visits { get; } = [];

    public static EdcMapping Mapping { get; } = EdcMapping.Load(Repository.Path("templates", "edc", "tf-onc-301.json"));

    public static async Task<EdcTrial> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "trialflow-reports-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = directory }).Build();
        var edc = new EdcTrial(directory, DatabaseOptions.FromConfiguration(configuration));
        await using var db = edc.Context();
        await db.MigrateAsync();
        await new WorkflowStore(edc.Options).MigrateAsync();
        var trial = new Trial("TF-ONC-301", "Aurora Oncology AG", "Reports test trial");
        foreach (var v in new[] { trial.AddVisit("BASELINE", "Baseline", 0, 28, 0), trial.AddVisit("WK06", "Week 6", 42, 7, 7), trial.AddVisit("WK12", "Week 12", 84, 7, 7) })
            edc.Visits[v.VisitKey] = v;
        foreach (var s in new[] { trial.AddSite("101", "Nordstadt", "DE", "Europe/Berlin").Active(), trial.AddSite("201", "Saint-Éloi", "FR", "Europe/Paris").Active() })
            edc.Sites[s.SiteNumber] = s.Id;
        db.Trials.Add(trial);
        await db.SaveChangesAsync();
        edc.TrialId = trial.Id;
        return edc;
    }

    public TrialFlowDbContext Context(Actor? actor = null) => DatabaseServiceCollectionExtensions.CreateContext(Options, actor ?? DataManager, Clock);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
