using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using TrialFlow.Core.Events;
using TrialFlow.Intake.Domain;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Qc.Service;

namespace TrialFlow.Qc.Tests.Support;

/// <summary>
/// The real intake pipeline and QC over a temporary data folder: trial TF-ONC-301 with the demo visit schedule,
/// site 101 and subject 101-001 (baseline 2026-03-02), the repository's de-identification profile, QC ruleset and
/// protocol requirements.
/// </summary>
internal sealed class QcHarness : IAsyncDisposable
{
    private QcHarness(PipelineFolder folder, TimeSpan? evaluationTimeLimit)
    {
        DataDirectory = folder.DataDirectory;
        Database = folder.Database;
        Intake = new PipelineIntake(folder, Clock);
        Completion = new StudyCompletion(Database, folder.Intake, Clock);
        var qcOptions = new QcOptions
        {
            RulesetFile = Repository.Path("rulesets", "qc", "trial-default.yaml"),
            ProtocolDirectory = Repository.Path("templates", "protocols"),
            EvaluationTimeLimit = evaluationTimeLimit ?? Evaluation.QcEvaluator.DefaultTimeLimit,
        };
        Rulesets = new QcRulesetStore(qcOptions, Clock);
        Qc = new QcService(Database, Rulesets, ProtocolCatalog.FromDirectory(qcOptions.ProtocolDirectory), new ArchivedImages(Intake.Stores.Archive.OpenRead), Clock, NullLogger<QcService>.Instance);
        // As the host wires it: QC subscribes to StudyCompleted; the test says when events are delivered.
        Events = TestEvents.Dispatcher(Database, Clock, services => services.AddSingleton(Qc).AddModuleEventHandler<StudyCompleted, QcOnStudyCompleted>());
    }

    public string DataDirectory { get; }

    public DatabaseOptions Database { get; }

    public PipelineIntake Intake { get; }

    public StudyCompletion Completion { get; }

    public QcRulesetStore Rulesets { get; }

    public QcService Qc { get; }

    public OutboxDispatcher Events { get; }

    /// <summary>Delivers the committed events (StudyCompleted runs QC) once; returns how many were fully delivered.</summary>
    public Task<int> DispatchEventsAsync() => Events.DispatchPendingAsync();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public static async Task<QcHarness> CreateAsync(TimeSpan? evaluationTimeLimit = null)
    {
        var folder = await PipelineFolder.CreateAsync("qc");
        var harness = new QcHarness(folder, evaluationTimeLimit);
        await harness.SeedAsync();
        return harness;
    }

    public TrialFlowDbContext Db(Actor? actor = null) => DatabaseServiceCollectionExtensions.CreateContext(Database, actor ?? Actor.System("tests"), Clock);

    /// <summary>Pushes every file of the study through intake as site 101, then lets it become stable and complete.</summary>
    /// <remarks>With <paramref name="subjectId"/> and <paramref name="visitId"/> the files arrive as an upload that names its visit.</remarks>
    public async Task ReceiveAsync(CtStudy study, Guid? subjectId = null, Guid? visitId = null)
    {
        foreach (var bytes in study.Files())
        {
            Assert.Equal(IntakeOutcome.Archived, await Intake.PushAsync(bytes, TrialId, SiteId, "NORDSTADT_CT@127.0.0.1", subjectId, visitId));
        }
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.NotEmpty(await Completion.CompleteStableStudiesAsync(CancellationToken.None));
    }

    private async Task SeedAsync()
    {
        await using var db = Db();
        await db.MigrateAsync();
        var trial = await PipelineTrial.SeedAsync(db, "QC test trial", aeTitle: "NORDSTADT_CT");
        TrialId = trial.TrialId;
        SiteId = trial.SiteId;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
