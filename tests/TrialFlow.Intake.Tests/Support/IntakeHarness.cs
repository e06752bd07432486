using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using TrialFlow.Deid.Pseudonyms;

namespace TrialFlow.Intake.Tests.Support;

/// <summary>
/// A trial database, pseudonym store, encrypted staging and archive in a temporary data folder, with the repository's
/// default de-identification profile: site 101 (SITE101_CT from this machine, SITE101_PACS from 10.101.0.0/16 and
/// 2001:db8:101::/48) with subject 101-001 (baseline 2026-03-02) and 101-002 (no visits yet).
/// </summary>
public sealed class IntakeHarness : IAsyncDisposable
{
    private readonly PseudonymStore _pseudonyms;

    private IntakeHarness(string dataDirectory, DatabaseOptions database, IntakeOptions options, PseudonymStore pseudonyms)
    {
        DataDirectory = dataDirectory;
        Database = database;
        Options = options;
        _pseudonyms = pseudonyms;
        Start();
    }

    public string DataDirectory { get; }

    public DatabaseOptions Database { get; }

    public IntakeOptions Options { get; }

    public IntakeStores Stores { get; private set; } = null!;

    public IntakeReceiver Receiver { get; private set; } = null!;

    public IntakePipeline Pipeline { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public static async Task<IntakeHarness> CreateAsync()
    {
        var folder = await PipelineFolder.CreateAsync("intake");
        var harness = new IntakeHarness(folder.DataDirectory, folder.Database, folder.Intake, folder.Pseudonyms);
        await harness.SeedAsync();
        return harness;
    }

    /// <summary>What a process restart does to intake: staging is reopened from disk, nothing else is remembered.</summary>
    public void Restart()
    {
        Stores.Dispose();
        Start();
    }

    private void Start()
    {
        Stores = new IntakeStores(Options);
        Receiver = new IntakeReceiver(Stores, Options, new IntakeRefusals(Database, Clock, NullLogger<IntakeRefusals>.Instance));
        Pipeline = new IntakePipeline(Stores, new DeidProfileCatalog(Options), _pseudonyms, Database, Clock, NullLogger<IntakePipeline>.Instance);
    }

    public TrialFlowDbContext Db() => DatabaseServiceCollectionExtensions.CreateContext(Database, Actor.System("tests"), Clock);

    /// <summary>Stages <paramref name="bytes"/> as if site 101 pushed them, and returns the staged name.</summary>
    public Task<string> StageAsync(byte[] bytes, Guid? subjectId = null, Guid? visitId = null, IntakePurpose purpose = IntakePurpose.Subject) =>
        Receiver.StageAsync(new StagedObject(IntakeChannel.DicomPush, TrialId, SiteId, Clock.GetUtcNow().UtcDateTime, "SITE101_CT@127.0.0.1", null, subjectId, visitId, bytes.Length, Purpose: purpose),
            new MemoryStream(bytes), CancellationToken.None);

    /// <summary>The intake worker as the host runs it, over this harness's stores (start it, stop it when done).</summary>
    public IntakeWorker Worker() => new(Receiver, Pipeline, Stores.Attempts, Options, Clock, NullLogger<IntakeWorker>.Instance);

    public async Task<IntakeOutcome?> PushAsync(byte[] bytes) => await Pipeline.ProcessAsync(await StageAsync(bytes), CancellationToken.None);

    private async Task SeedAsync()
    {
        await using var db = Db();
        await db.MigrateAsync();
        var trial = await PipelineTrial.SeedAsync(db, "Intake test trial",
            configureSite: site => site.AllowAeTitle("SITE101_PACS", "10.101.0.0/16", "2001:db8:101::/48"), moreSubjects: ["101-002"]);
        TrialId = trial.TrialId;
        SiteId = trial.SiteId;
    }

    public ValueTask DisposeAsync()
    {
        Stores.Dispose();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
