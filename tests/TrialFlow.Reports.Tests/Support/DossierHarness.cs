using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrialFlow.Intake.Domain;
using TrialFlow.Intake;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Qc;
using TrialFlow.Qc.Service;
using TrialFlow.Reports.Dossier;
using TrialFlow.Workflows;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Persistence;
using TrialFlow.Workflows.Publishing;
using TrialFlow.Workflows.Runtime;

namespace TrialFlow.Reports.Tests.Support;

/// <summary>
/// A subject with a history made by the real pipeline: trial TF-ONC-301 (baseline and week 6), site 101, subject 101-001;
/// CT studies pushed through intake (de-identification, archive, index), QC by the QC service with the repository's
/// ruleset and protocols, and the shipped qc-gate workflow on WorkflowCore. A fake clock drives everything.
/// </summary>
internal sealed class DossierHarness : IAsyncDisposable
{
    public static readonly Actor Inspector = new("u-insp", "Ines Inspector", "Inspector", SiteScope.Unrestricted);
    public static readonly Actor QcLead = new("u-qc", "Quinn QC-Lead", "QcLead", SiteScope.Unrestricted);
    public static readonly Actor StudyManager = new("u-sm", "Sam Study-Manager", "StudyManager", SiteScope.Unrestricted);

    private readonly ServiceProvider _services;
    private bool _engineRunning;

    private DossierHarness(PipelineFolder folder)
    {
        DataDirectory = folder.DataDirectory;
        Database = folder.Database;
        IntakeOptions = folder.Intake;
        Intake = new PipelineIntake(folder, Clock);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TrialFlow:Workflows:PollInterval"] = "00:00:00.2",
            ["TrialFlow:Workflows:RetryDelay"] = "00:00:00.05",
            // QC runs when the workflow's RunQc step asks for it, as in production with qc-gate.
            ["TrialFlow:Qc:RunOnIntake"] = "false",
        }).Build();
        _services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(Database)
            .AddSingleton<TimeProvider>(Clock)
            .AddTrialFlowQc(configuration, Repository.Path(), _ => Intake.Stores.Archive.OpenRead)
            .AddTrialFlowWorkflows(configuration, runInBackground: false)
            .AddTrialFlowReports()
            .BuildServiceProvider();
    }

    public string DataDirectory { get; }

    public DatabaseOptions Database { get; }

    public IntakeOptions IntakeOptions { get; }

    public PipelineIntake Intake { get; }

    public QcRulesetStore Rulesets => _services.GetRequiredService<QcRulesetStore>();

    public QcService Qc => _services.GetRequiredService<QcService>();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid SubjectId { get; private set; }

    public DossierService Dossiers => _services.GetRequiredService<DossierService>();

    public StudyWorkflows Workflows => _services.GetRequiredService<StudyWorkflows>();

    public static async Task<DossierHarness> CreateAsync()
    {
        var folder = await PipelineFolder.CreateAsync("reports");
        var harness = new DossierHarness(folder);
        await harness.SeedAsync();
        return harness;
    }

    public TrialFlowDbContext Db(Actor? actor = null) => DatabaseServiceCollectionExtensions.CreateContext(Database, actor ?? Actor.System("tests"), Clock);

    /// <summary>Pushes every file of <paramref name="study"/> (CT for subject 101-001) through intake and completes it; returns its id.</summary>
    public async Task<Guid> ReceiveCompletedStudyAsync(CtStudy study)
    {
        foreach (var bytes in study.Files())
        {
            var outcome = await Intake.PushAsync(bytes, TrialId, SiteId, "SITE101_CT@127.0.0.1");
            if (outcome != IntakeOutcome.Archived)
                throw new InvalidOperationException($"intake: {outcome}");
            Clock.Advance(TimeSpan.FromSeconds(2));
        }
        Clock.Advance(IntakeOptions.StableStudyAge + TimeSpan.FromSeconds(1));
        var completed = await new StudyCompletion(Database, IntakeOptions, Clock).CompleteStableStudiesAsync(CancellationToken.None);
        return completed.Single().Id;
    }

    /// <summary>
    /// Publishes the shipped qc-gate workflow for the trial, starts the engine, starts it on the studies that completed
    /// before (a binding applies from now on, so that is a study manager's explicit choice), and waits until each has run past QC.
    /// </summary>
    public async Task RunWorkflowsAsync(params Guid[] studies)
    {
        var definitions = _services.GetRequiredService<WorkflowDefinitions>();
        var document = WorkflowJson.Load(Repository.Path("workflows", "qc-gate.json"));
        await definitions.SaveDraftAsync(document, TrialId, StudyManager);
        await definitions.PublishAsync(document.DefinitionId, "dossier test", StudyManager);
        await _services.GetRequiredService<WorkflowEngineService>().StartAsync(CancellationToken.None);
        _engineRunning = true;
        // Studies completed before the binding are started by choice; any that completed after it, by the catch-up.
        await _services.GetRequiredService<WorkflowBackfill>().StartAsync(document.DefinitionId, Enum.GetNames<StudyStatus>(),
            "the dossier's studies were received before the workflow", StudyManager);
        await _services.GetRequiredService<StudyWorkflowStarter>().StartPendingAsync(CancellationToken.None);
        foreach (var study in studies)
            await Eventually.UntilAsync(async () => (await Workflows.ForStudyAsync(study)).SingleOrDefault(),
                v => v is not null && (v.Status == "Complete" || v.CurrentActivities.Contains("deadline")), $"the workflow of study {study} settles");
    }

    /// <summary>Publishes a changed QC ruleset and re-runs QC on <paramref name="study"/> with a reason: the study gets a second result.</summary>
    public async Task RerunQcWithNewRulesetAsync(Guid study, string reason)
    {
        Clock.Advance(TimeSpan.FromHours(1));
        await using (var db = Db(QcLead))
        {
            var (active, _) = await Rulesets.ActiveAsync(db, CancellationToken.None);
            await Rulesets.PublishAsync(db, active.Content + "\n# clarified wording, same rules\n", "wording of a rule clarified", CancellationToken.None);
        }
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Qc.RerunAsync(study, QcLead, reason);
    }

    private async Task SeedAsync()
    {
        await using var db = Db();
        await db.MigrateAsync();
        await _services.GetRequiredService<WorkflowStore>().MigrateAsync();
        var trial = await PipelineTrial.SeedAsync(db, "Dossier test trial");
        TrialId = trial.TrialId;
        SiteId = trial.SiteId;
        SubjectId = trial.SubjectId;
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
