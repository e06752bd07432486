using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TrialFlow.Core.Events;
using TrialFlow.Intake.Domain;
using TrialFlow.Intake.Events;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Qc.Protocols;
using TrialFlow.Qc.Service;

namespace TrialFlow.Activation.Tests.Activation;

/// <summary>
/// A qualification scan goes through the real intake, completes, and is judged by the repository's QC ruleset against
/// TF-ONC-301's CT requirements: a pass qualifies the scanner at the site with the verdict as evidence, a fail does not.
/// </summary>
public sealed class ScannerQualificationTests : IAsyncLifetime
{
    private PipelineFolder _folder = null!;
    private PipelineIntake _intake = null!;
    private PipelineTrial _trial = null!;
    private ScannerQualification _qualification = null!;
    private OutboxDispatcher _events = null!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        _folder = await PipelineFolder.CreateAsync("activation");
        _intake = new PipelineIntake(_folder, _clock);
        await using (var db = Db())
        {
            await db.MigrateAsync();
            _trial = await PipelineTrial.SeedAsync(db, "Qualification test trial", aeTitle: "NORDSTADT_CT");
        }
        var qcOptions = new QcOptions { RulesetFile = Repository.Path("rulesets", "qc", "trial-default.yaml"), ProtocolDirectory = Repository.Path("templates", "protocols") };
        var qc = new QualificationQc(_folder.Database, new QcRulesetStore(qcOptions, _clock), ProtocolCatalog.FromDirectory(qcOptions.ProtocolDirectory),
            new ArchivedImages(_intake.Stores.Archive.OpenRead), _clock);
        _qualification = new ScannerQualification(_folder.Database, qc, _clock, NullLogger<ScannerQualification>.Instance);
        // As the host wires it: the activation module subscribes to QualificationScanCompleted.
        _events = TestEvents.Dispatcher(_folder.Database, _clock,
            services => services.AddSingleton(_qualification).AddModuleEventHandler<QualificationScanCompleted, EvaluateQualificationScan>());
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder.DataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_passing_qualification_scan_qualifies_its_scanner_for_the_modality_with_the_verdict_as_evidence()
    {
        await ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.10.1", PatientId: "PHANTOM"));

        Assert.Equal(1, await _events.DispatchPendingAsync());

        await using var db = Db();
        var scan = await db.QualificationScans.SingleAsync();
        Assert.Equal((QualificationScanStatus.Passed, "Passed"), (scan.Status, scan.Outcome));
        Assert.Equal("trial-default v1, protocol tf-onc-301-imaging-v2", scan.EvaluatedWith);
        var scanner = await db.QualifiedScanners.SingleAsync();
        Assert.Equal(("CT", "SIEMENS SOMATOM Force", "tf-onc-301-imaging-v2", scan.Id), (scanner.Modality, scanner.Label, scanner.Protocol, scanner.QualificationScanId));
        Assert.StartsWith($"qualification scan {scan.StudyInstanceUid} (4 images, received 2026-06-01 08:00 UTC) passed QC (Passed) with trial-default v1", scanner.Evidence);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "ScannerQualified" && e.EntityId == scan.Id.ToString()));
        Assert.Equal([TrialFlowRoles.SiteUser, TrialFlowRoles.StudyManager], (await db.StaffNotifications.ToListAsync()).Select(n => n.RecipientRole).Order());
        // Nothing of it is subject data.
        Assert.Equal(0, await db.Studies.CountAsync());
    }

    [Fact]
    public async Task A_failing_qualification_scan_qualifies_nothing_and_says_why()
    {
        await ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.10.2", PatientId: "PHANTOM") { SliceThickness = 8 });

        var status = await _qualification.EvaluateAsync(await ScanIdAsync(), CancellationToken.None);

        Assert.Equal(QualificationScanStatus.Failed, status);
        await using var db = Db();
        var scan = await db.QualificationScans.SingleAsync();
        Assert.Equal("Failed", scan.Outcome);
        Assert.Contains("QC-SLICE-THICKNESS (Major)", scan.Findings);
        Assert.Equal(0, await db.QualifiedScanners.CountAsync());
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "ScannerQualificationFailed"));
        var notice = await db.StaffNotifications.FirstAsync(n => n.RecipientRole == TrialFlowRoles.SiteUser);
        Assert.Equal("Qualification scan failed at site 101: SIEMENS SOMATOM Force (CT)", notice.Title);
        Assert.Contains("QC-SLICE-THICKNESS", notice.Message);
    }

    [Fact]
    public async Task A_scan_is_judged_once_and_a_new_passing_scan_renews_the_same_qualification()
    {
        await ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.10.3", PatientId: "PHANTOM"));
        var first = await ScanIdAsync();
        await _qualification.EvaluateAsync(first, CancellationToken.None);
        await _qualification.EvaluateAsync(first, CancellationToken.None); // a redelivered event

        _clock.Advance(TimeSpan.FromDays(200));
        await ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.10.4", PatientId: "PHANTOM"));
        await using (var db = Db())
        {
            var second = await db.QualificationScans.Where(q => q.Id != first).Select(q => q.Id).SingleAsync();
            await _qualification.EvaluateAsync(second, CancellationToken.None);
        }

        await using var check = Db();
        var scanner = await check.QualifiedScanners.SingleAsync();
        Assert.NotEqual(first, scanner.QualificationScanId);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, scanner.QualifiedAt);
        Assert.Equal(2, await check.AuditEvents.CountAsync(e => e.Action == "ScannerQualified"));
    }

    [Fact]
    public async Task A_study_manager_has_a_judged_scan_evaluated_again_and_the_reason_is_required_and_audited()
    {
        await ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.10.6", PatientId: "PHANTOM"));
        await _events.DispatchPendingAsync();
        var scanId = await ScanIdAsync();

        await using (var db = Db(ActivationFixture.StudyManager))
            await ScannerQualification.ReevaluateAsync(db, scanId, "ruleset v2 published", CancellationToken.None);
        await using (var db = Db())
            Assert.Equal(QualificationScanStatus.Complete, (await db.QualificationScans.SingleAsync()).Status);
        Assert.Equal(1, await _events.DispatchPendingAsync());

        await using var check = Db();
        Assert.Equal(QualificationScanStatus.Passed, (await check.QualificationScans.SingleAsync()).Status);
        Assert.Contains(await check.AuditEvents.ToListAsync(), e => e.Reason == "qualification scan of SIEMENS SOMATOM Force evaluated again: ruleset v2 published" && e.ActorName == "Sam Study-Manager");
        Assert.Equal(2, await check.AuditEvents.CountAsync(e => e.Action == "ScannerQualified"));
        await using var asManager = Db(ActivationFixture.StudyManager);
        var missingReason = await Assert.ThrowsAsync<ActivationException>(() => ScannerQualification.ReevaluateAsync(asManager, scanId, " ", CancellationToken.None));
        Assert.StartsWith("A reason is required", missingReason.Message);
    }

    [Fact]
    public async Task The_checklist_item_is_done_once_every_modality_the_protocol_asks_for_at_every_visit_has_a_qualified_scanner()
    {
        var activation = new SiteActivation(ActivationFixture.Checklists, ProtocolCatalog.FromDirectory(Repository.Path("templates", "protocols")));
        await using (var db = Db(ActivationFixture.StudyManager))
            Assert.False(Item(await activation.ChecklistAsync(db, _trial.SiteId, CancellationToken.None)).Done);

        await ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.10.5", PatientId: "PHANTOM"));
        await _events.DispatchPendingAsync();

        await using var check = Db(ActivationFixture.StudyManager);
        var item = Item(await activation.ChecklistAsync(check, _trial.SiteId, CancellationToken.None));
        Assert.True(item.Done);
        Assert.Equal("qualified: SIEMENS SOMATOM Force (CT) on 2026-06-01", item.SeenEvidence);
    }

    private static ChecklistItemState Item(SiteChecklist? checklist) => checklist!.Items.Single(i => i.Definition.Key == "scanner-qualification");

    private async Task ReceiveAsync(CtStudy study)
    {
        foreach (var bytes in study.Files())
            Assert.Equal(IntakeOutcome.Archived, await _intake.PushAsync(bytes, _trial.TrialId, _trial.SiteId, "NORDSTADT_CT@127.0.0.1", purpose: IntakePurpose.Qualification));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.NotEmpty(await new StudyCompletion(_folder.Database, _folder.Intake, _clock).CompleteStableQualificationScansAsync(CancellationToken.None));
    }

    private async Task<Guid> ScanIdAsync()
    {
        await using var db = Db();
        return await db.QualificationScans.Select(q => q.Id).SingleAsync();
    }

    private TrialFlowDbContext Db(Actor? actor = null) => DatabaseServiceCollectionExtensions.CreateContext(_folder.Database, actor ?? Actor.System("tests"), _clock);
}
