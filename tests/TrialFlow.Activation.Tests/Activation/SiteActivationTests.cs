using TrialFlow.Intake.Domain;

namespace TrialFlow.Activation.Tests.Activation;

/// <summary>
/// A site onboarded mid-study goes Planned → Qualifying → Active only once its checklist is done, each step with a
/// reason in its history and the audit trail; people tick items with evidence, training per site user, and TrialFlow
/// ticks the test transfer when the site's first object arrives.
/// </summary>
public sealed class SiteActivationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_new_site_starts_Planned_with_every_checklist_item_open()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();

        var checklist = (await f.Activation.ChecklistAsync(db, f.LisbonId, None))!;

        Assert.Equal(SiteStatus.Planned, checklist.Status);
        Assert.Equal("Site activation (imaging)", checklist.Template);
        Assert.Equal(["protocol-acknowledged", "imaging-manual", "staff-trained", "data-sharing-agreement", "scanner-qualification", "test-transfer"], checklist.Items.Select(i => i.Definition.Key));
        Assert.All(checklist.Items, i => Assert.False(i.Done));
        Assert.Equal(6, checklist.MissingRequired.Count);
        Assert.Equal([SiteStatus.Qualifying, SiteStatus.Closed], checklist.NextStatuses);
    }

    [Fact]
    public async Task Activation_is_refused_while_required_items_are_open_naming_them_and_nothing_changes()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await f.AddSiteUserAsync("ana.costa", f.LisbonId);
        await using (var db = f.Db())
            await f.Activation.ChangeStatusAsync(db, f.LisbonId, SiteStatus.Qualifying, "site selection visit done", None);
        await f.CompleteManualItemsAsync(); // everything but the training, the scanner and the test transfer

        await using (var db = f.Db())
        {
            var refused = await Assert.ThrowsAsync<ActivationException>(() => f.Activation.ChangeStatusAsync(db, f.LisbonId, SiteStatus.Active, "ready", None));
            Assert.Contains("Site 801 cannot become Active: 3 required checklist item(s) not done", refused.Message);
            Assert.Contains("Scanners qualified against the protocol (a qualification scan passed QC)", refused.Message);
            Assert.Contains("Site staff trained on the imaging manual and image transfer (still: ana.costa)", refused.Message);
            Assert.Contains("Test transfer from the site's PACS received", refused.Message);
        }

        await using var check = f.Db();
        Assert.Equal(SiteStatus.Qualifying, (await check.Sites.SingleAsync(s => s.Id == f.LisbonId)).Status);
    }

    [Fact]
    public async Task Training_is_recorded_per_site_user_and_done_when_every_site_user_has_it()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await f.AddSiteUserAsync("ana.costa", f.LisbonId);
        await f.AddSiteUserAsync("rui.lima", f.LisbonId);
        await f.AddSiteUserAsync("berlin.coordinator", f.Trial.Berlin.Id);
        await using var db = f.Db();

        var half = await f.Activation.CompleteItemAsync(db, f.LisbonId, "staff-trained", "ana.costa", "certificate TF-TR-0801-01, 2026-05-28", None);
        var training = half.Items.Single(i => i.Definition.Key == "staff-trained");
        Assert.False(training.Done);
        Assert.Equal(["rui.lima"], training.UsersOutstanding);
        Assert.Equal(("ana.costa", "certificate TF-TR-0801-01, 2026-05-28", "Sam Study-Manager"), (training.Entries[0].UserName, training.Entries[0].Evidence, training.Entries[0].DoneBy));

        var other = await Assert.ThrowsAsync<ActivationException>(() => f.Activation.CompleteItemAsync(db, f.LisbonId, "staff-trained", "berlin.coordinator", "certificate", None));
        Assert.Equal("berlin.coordinator is not a site user of site 801.", other.Message);
        var nobody = await Assert.ThrowsAsync<ActivationException>(() => f.Activation.CompleteItemAsync(db, f.LisbonId, "staff-trained", null, "certificate", None));
        Assert.Contains("recorded per person", nobody.Message);

        var all = await f.Activation.CompleteItemAsync(db, f.LisbonId, "staff-trained", "rui.lima", "certificate TF-TR-0801-02, 2026-05-29", None);
        Assert.True(all.Items.Single(i => i.Definition.Key == "staff-trained").Done);
    }

    [Fact]
    public async Task Training_is_not_done_while_the_site_has_no_users()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();

        var training = (await f.Activation.ChecklistAsync(db, f.LisbonId, None))!.Items.Single(i => i.Definition.Key == "staff-trained");

        Assert.False(training.Done);
        Assert.Empty(training.UsersOutstanding);
    }

    [Fact]
    public async Task The_test_transfer_is_ticked_by_the_first_object_pushed_from_the_site_and_cannot_be_ticked_by_hand()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using (var db = f.Db())
        {
            var refused = await Assert.ThrowsAsync<ActivationException>(() => f.Activation.CompleteItemAsync(db, f.LisbonId, "test-transfer", null, "they said they sent it", None));
            Assert.Contains("ticked by TrialFlow", refused.Message);
        }

        // An upload through the browser is not a transfer from the site's PACS; a push is, even when it was held.
        await AddReceiptAsync(f, IntakeChannel.BrowserUpload, "ana.costa", new DateTime(2026, 6, 1, 9, 0, 0, DateTimeKind.Utc));
        await using (var db = f.Db())
            Assert.False((await f.Activation.ChecklistAsync(db, f.LisbonId, None))!.Items.Single(i => i.Definition.Key == "test-transfer").Done);
        await AddReceiptAsync(f, IntakeChannel.DicomPush, "LUZIA_PACS@10.80.1.5", new DateTime(2026, 6, 1, 9, 15, 0, DateTimeKind.Utc));

        await using var check = f.Db();
        var item = (await f.Activation.ChecklistAsync(check, f.LisbonId, None))!.Items.Single(i => i.Definition.Key == "test-transfer");
        Assert.True(item.Done);
        Assert.Equal("first object received by DICOM push on 2026-06-01 09:15 UTC from LUZIA_PACS@10.80.1.5; 1 so far", item.SeenEvidence);
    }

    [Fact]
    public async Task With_every_required_item_done_the_site_becomes_Active_and_its_history_and_audit_trail_say_why()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await f.AddSiteUserAsync("ana.costa", f.LisbonId);
        await using (var db = f.Db())
            await f.Activation.ChangeStatusAsync(db, f.LisbonId, SiteStatus.Qualifying, "site selection visit done", None);
        await f.CompleteManualItemsAsync("ana.costa");
        await AddReceiptAsync(f, IntakeChannel.DicomPush, "LUZIA_PACS@10.80.1.5", new DateTime(2026, 6, 1, 9, 15, 0, DateTimeKind.Utc));
        await f.QualifyScannerAsync("CT", "SIEMENS", "SOMATOM go.Top");
        await HoldAsync(f, QuarantineReason.SiteNotActive);
        await HoldAsync(f, QuarantineReason.UnknownSubject); // not the activation's to announce
        f.Database.Clock.Advance(TimeSpan.FromDays(3));

        await using (var db = f.Db())
        {
            var active = await f.Activation.ChangeStatusAsync(db, f.LisbonId, SiteStatus.Active, "checklist complete; SIV report filed", None);
            Assert.Equal(SiteStatus.Active, active.Status);
            Assert.Empty(active.MissingRequired);
            Assert.Equal([(SiteStatus.Planned, SiteStatus.Qualifying, "site selection visit done"), (SiteStatus.Qualifying, SiteStatus.Active, "checklist complete; SIV report filed")],
                active.History.Select(h => (h.From, h.To, h.Reason)));
            Assert.Equal(f.Database.Clock.GetUtcNow().UtcDateTime, active.History[^1].At);
        }

        await using var check = f.Db();
        var notice = await check.StaffNotifications.SingleAsync();
        Assert.Equal((TrialFlowRoles.DataManager, "Site 801 is Active: 1 held object(s) can be released", "/quarantine"), (notice.RecipientRole, notice.Title, notice.Link));
        var audit = await check.AuditEvents.Where(e => e.EntityType == nameof(Site) && e.EntityId == f.LisbonId.ToString()).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Contains(audit, e => e.Reason == "site 801 Active: checklist complete; SIV report filed" && e.ActorName == "Sam Study-Manager" && e.NewValues!.Contains("Active"));
        Assert.Contains(await check.AuditEvents.Select(e => e.Reason).ToListAsync(), r => r == "activation checklist of site 801: Site staff trained on the imaging manual and image transfer (ana.costa)");
    }

    [Fact]
    public async Task A_suspended_site_can_be_activated_again_a_closed_one_cannot_change_and_every_step_needs_a_reason()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();

        var noReason = await Assert.ThrowsAsync<ActivationException>(() => f.Activation.ChangeStatusAsync(db, f.LisbonId, SiteStatus.Qualifying, " ", None));
        Assert.Contains("A reason is required", noReason.Message);
        var skipping = await Assert.ThrowsAsync<ActivationException>(() => f.Activation.ChangeStatusAsync(db, f.LisbonId, SiteStatus.Suspended, "audit finding", None));
        Assert.Equal("Site 801 cannot go from Planned to Suspended; from Planned it can go to Qualifying or Closed.", skipping.Message);

        await f.Activation.ChangeStatusAsync(db, f.LisbonId, SiteStatus.Closed, "site withdrew before its first patient", None);
        var closed = await Assert.ThrowsAsync<ActivationException>(() => f.Activation.ChangeStatusAsync(db, f.LisbonId, SiteStatus.Qualifying, "changed its mind", None));
        Assert.Equal("Site 801 is Closed: its status cannot change any more.", closed.Message);
    }

    [Fact]
    public async Task Berlin_an_active_site_can_be_suspended_and_activated_again()
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();
        var berlin = await db.Sites.Include(s => s.StatusChanges).SingleAsync(s => s.Id == f.Trial.Berlin.Id);
        // The small trial's sites were activated before the checklist existed: Berlin's is not done, which does not
        // matter while it stays Active, but does when it asks to be Active again.
        Assert.Equal(SiteStatus.Active, berlin.Status);

        await f.Activation.ChangeStatusAsync(db, berlin.Id, SiteStatus.Suspended, "serious GCP finding at monitoring visit", None);
        var again = await Assert.ThrowsAsync<ActivationException>(() => f.Activation.ChangeStatusAsync(db, berlin.Id, SiteStatus.Active, "CAPA closed", None));
        Assert.StartsWith("Site 101 cannot become Active: 6 required checklist item(s) not done", again.Message);
    }

    [Theory]
    [InlineData("phantom-scan", null, "activation: site 801 item 'phantom-scan': the checklist 'Site activation (imaging)' has no such item")]
    [InlineData("test-transfer", null, "activation: site 801 item 'test-transfer': the item is ticked by TrialFlow when it happens, not seeded.")]
    [InlineData("staff-trained", null, "activation: site 801 item 'staff-trained': a per-user item names the site user (userName).")]
    [InlineData("imaging-manual", "ana.costa", "activation: site 801 item 'imaging-manual': a site-level item names no user.")]
    public async Task A_seed_files_checklist_entry_that_does_not_fit_the_checklist_is_named(string item, string? user, string expected)
    {
        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();
        var trial = await db.Trials.Include(t => t.Sites).SingleAsync();
        var file = new TrialFlow.Core.Seeding.TrialSeedFile(new("TF-TEST-1", "S", "T"), [], [], [], [], null, [new("801", item, "evidence", user)]);
        var part = new TrialFlow.Activation.Seeding.ChecklistSeedPart(ActivationFixture.Checklists);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            part.SeedAsync(db, file, new TrialFlow.Core.Seeding.SeededTrial(trial, trial.Sites.ToDictionary(s => s.SiteNumber)), None));

        Assert.StartsWith(expected, error.Message);
    }

    private static async Task HoldAsync(ActivationFixture f, QuarantineReason reason)
    {
        await using var db = f.Db(Actor.System("intake"));
        db.QuarantineItems.Add(new QuarantineItem(f.Trial.Trial.Id, f.LisbonId, IntakeChannel.DicomPush, reason, "held for the test", $"q-{Guid.NewGuid():N}",
            new DateTime(2026, 6, 1, 9, 15, 0, DateTimeKind.Utc), null, "CT", null, null));
        await db.SaveChangesAsync();
    }

    private static async Task AddReceiptAsync(ActivationFixture f, IntakeChannel channel, string sender, DateTime at)
    {
        await using var db = f.Db(Actor.System("intake"));
        db.IntakeReceipts.Add(new IntakeReceipt($"stg-{Guid.NewGuid():N}", f.Trial.Trial.Id, f.LisbonId, channel, at, at, IntakeOutcome.Quarantined,
            "SiteNotActive: site 801 is Qualifying", 1024, null, null, null, null, sender));
        await db.SaveChangesAsync();
    }
}
