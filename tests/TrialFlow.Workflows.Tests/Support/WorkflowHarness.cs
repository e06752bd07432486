using TrialFlow.Core.Events;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using TrialFlow.Intake.Domain;
using TrialFlow.Intake;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Qc.Service;
using TrialFlow.Workflows.Publishing;

namespace TrialFlow.Workflows.Tests.Support;

/// <summary>
/// A TrialFlow database with the real intake and QC (trial TF-ONC-301 with the repository's protocol and QC ruleset,
/// site 101, subject 101-001 with a baseline visit) and the workflow runtime on it, WorkflowCore included, with a fake
/// clock. The starter is driven by the tests, not a timer; QC runs only when a workflow's RunQc asks for it.
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    public static readonly Actor StudyManager = new("u-sm", "Sam Study-Manager", "StudyManager", SiteScope.Unrestricted);

    private readonly ServiceProvider _services;
    private bool _engineRunning;

    private WorkflowHarness(PipelineFolder folder, FakeTimeProvider clock, int maxAttempts, Action<IServiceCollection>? configure)
    {
        DataDirectory = folder.DataDirectory;
        Database = folder.Database;
        Clock = clock;
        IntakeOptions = folder.Intake;
        Intake = new PipelineIntake(folder, clock);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TrialFlow:Workflows:PollInterval"] = "00:00:00.2",
            ["TrialFlow:Workflows:RetryDelay"] = "00:00:00.05",
            ["TrialFlow:Workflows:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TrialFlow:Qc:RunOnIntake"] = "false",
            ["TrialFlow:Queries:Templates"] = Repository.Path("templates", "queries"),
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole())
            .AddSingleton(Database)
            .AddSingleton<TimeProvider>(clock)
            .AddTrialFlowQc(configuration, Repository.Path(), _ => Intake.Stores.Archive.OpenRead)
            .AddTrialFlowWorkflows(configuration, runInBackground: false)
            .AddTrialFlowEvents(configuration, runInBackground: false);
        // What a host adds after the runtime (e.g. the EDC exporter behind ExportToEdc).
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
    }

    public string DataDirectory { get; }

    public DatabaseOptions Database { get; }

    public FakeTimeProvider Clock { get; }

    public IntakeOptions IntakeOptions { get; }

    public PipelineIntake Intake { get; }

    public IServiceProvider Services => _services;

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public WorkflowDefinitions Definitions => _services.GetRequiredService<WorkflowDefinitions>();

    public StudyWorkflowStarter Starter => _services.GetRequiredService<StudyWorkflowStarter>();

    public StudyWorkflows Workflows => _services.GetRequiredService<StudyWorkflows>();

    public WorkflowStore Store => _services.GetRequiredService<WorkflowStore>();

    /// <summary>Delivers the committed events (StudyCompleted, WorkflowPublished) once; returns how many were fully delivered.</summary>
    public Task<int> DispatchEventsAsync() => _services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync();

    public static async Task<WorkflowHarness> CreateAsync(int maxAttempts = 3, Action<IServiceCollection>? configure = null)
    {
        var folder = await PipelineFolder.CreateAsync("workflow");
        var harness = new WorkflowHarness(folder, new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero)), maxAttempts, configure);
        await harness.SeedAsync();
        return harness;
    }

    public TrialFlowDbContext Db() => DatabaseServiceCollectionExtensions.CreateContext(Database, Actor.System("tests"), Clock);

    public async Task StartEngineAsync()
    {
        await _services.GetRequiredService<WorkflowEngineService>().StartAsync(CancellationToken.None);
        _engineRunning = true;
    }

    /// <summary>Saves <paramref name="document"/> as the trial's workflow and publishes it; returns the version.</summary>
    public async Task<int> PublishAsync(WorkflowDocument document)
    {
        await Definitions.SaveDraftAsync(document, TrialId, StudyManager);
        return await Definitions.PublishAsync(document.DefinitionId, "test", StudyManager);
    }

    public static WorkflowDocument ShippedQcGate() => WorkflowJson.Load(Repository.Path("workflows", "qc-gate.json"));

    /// <summary>
    /// Pushes every file of <paramref name="study"/> (a CT study for subject 101-001, compliant with the protocol unless
    /// the test changed it) through the real intake and completes the study; returns its id.
    /// </summary>
    public async Task<Guid> ReceiveCompletedStudyAsync(CtStudy study)
    {
        await PushAsync(study);
        Clock.Advance(IntakeOptions.StableStudyAge + TimeSpan.FromSeconds(1));
        var completed = await new StudyCompletion(Database, IntakeOptions, Clock).CompleteStableStudiesAsync(CancellationToken.None);
        return completed.Single().Id;
    }

    /// <summary>Pushes every file of <paramref name="study"/> through the real intake (objects already archived are duplicates).</summary>
    public async Task PushAsync(CtStudy study)
    {
        foreach (var bytes in study.Files())
        {
            var outcome = await Intake.PushAsync(bytes, TrialId, SiteId, "SITE101_CT@127.0.0.1");
            if (outcome is not (IntakeOutcome.Archived or IntakeOutcome.Duplicate))
                throw new InvalidOperationException($"intake: {outcome}");
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds (see <see cref="Eventually"/>); the engine's view is described on failure.</summary>
    public static Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? within = null) =>
        Eventually.UntilAsync(probe, done, what, value => value is InstanceView v ? Describe(v) : $"{value}", within);

    public static string Describe(InstanceView v) =>
        $"{v.Status} v{v.Version} at [{string.Join(", ", v.CurrentActivities)}]; journal: {string.Join(" | ", v.Journal.Select(j => $"{j.ActivityId} {j.Kind} {j.Outcome} {j.Message}"))}; incidents: {string.Join(" | ", v.Incidents.Select(i => i.Message))}";

    /// <summary>
    /// Returns once the engine's poller has run <paramref name="count"/> more times: the first may have begun before the
    /// caller's last change (a clock advance, an event), the later ones did not, and what they found due has run. An
    /// absence check waits for this instead of sleeping, so it fails if the poller never ran.
    /// </summary>
    public async Task PollsPassAsync(int count = 3)
    {
        var provider = _services.GetRequiredService<EfPersistenceProvider>();
        var target = provider.Polls + count;
        await EventuallyAsync(() => Task.FromResult(provider.Polls), polls => polls >= target, $"{count} polls of the workflow engine");
    }

    public async Task<InstanceView> WaitForInstanceAsync(Guid studyId, Func<InstanceView, bool> done, string what) =>
        (await EventuallyAsync(async () => (await Workflows.ForStudyAsync(studyId)).SingleOrDefault(), v => v is not null && done(v), what))!;

    public async Task<StudyStatus> StatusOfAsync(Guid studyId)
    {
        await using var db = Db();
        return await db.Studies.Where(s => s.Id == studyId).Select(s => s.Status).SingleAsync();
    }

    private async Task SeedAsync()
    {
        await using var db = Db();
        await db.MigrateAsync();
        await Store.MigrateAsync();
        var trial = await PipelineTrial.SeedAsync(db, "Workflow test trial");
        TrialId = trial.TrialId;
        SiteId = trial.SiteId;
    }

    public async ValueTask DisposeAsync()
    {
        if (_engineRunning)
            await _services.GetRequiredService<WorkflowEngineService>().StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
    }
}
