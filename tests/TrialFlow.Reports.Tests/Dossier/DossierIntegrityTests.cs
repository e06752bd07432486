using TrialFlow.Reports.History;
using TrialFlow.Reports.Tests.Support;

namespace TrialFlow.Reports.Tests.Dossier;

/// <summary>What the dossier says about the audit chain it was made from.</summary>
public sealed class DossierIntegrityTests
{
    [Trait("Category", "Slow")]
    [Fact]
    public async Task Tampering_with_an_audit_event_makes_the_next_dossier_state_the_chain_is_broken_and_where()
    {
        await using var harness = await DossierHarness.CreateAsync();
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.2001", StudyDate: "20260302"));
        await harness.Qc.RunQcAsync(study);
        var cutOff = harness.Clock.GetUtcNow().UtcDateTime;
        long target;
        await using (var db = harness.Db())
            target = await db.AuditEvents.Where(e => e.EntityType == "ImagingStudy" && e.EntityId == study.ToString()).MinAsync(e => e.Sequence);

        // An intruder with the database file drops the guard and rewrites who created the study.
        await using (var db = harness.Db())
        {
            await db.Database.ExecuteSqlRawAsync("""DROP TRIGGER "AuditEvents_refuse_update";""");
            await db.Database.ExecuteSqlAsync($"""UPDATE "AuditEvents" SET "ActorName" = 'Someone Else' WHERE "Sequence" = {target};""");
        }

        await using var inspector = harness.Db(DossierHarness.Inspector);
        var dossier = (await harness.Dossiers.GenerateAsync(inspector, harness.SubjectId, cutOff))!;
        var text = new PdfText(dossier.Content);

        Assert.False(dossier.History.Chain.IsIntact);
        Assert.Equal(target, dossier.History.Chain.BrokenAt);
        Assert.True(text.Has($"AUDIT CHAIN BROKEN at event #{target}"), text.Pages[0]);
        Assert.True(text.Has("the event was altered"));
        Assert.True(text.Has($"broken at event #{target}"), "the integrity section names the event too");
    }

    [Fact]
    public async Task The_dossier_names_the_signed_checkpoint_its_verification_was_held_against()
    {
        await using var harness = await DossierHarness.CreateAsync();
        await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.2002", StudyDate: "20260302"));
        var cutOff = harness.Clock.GetUtcNow().UtcDateTime;
        await using (var db = harness.Db())
            await harness.Database.AuditAnchor.CheckpointHeadAsync(db, harness.Clock, CancellationToken.None);

        await using var inspector = harness.Db(DossierHarness.Inspector);
        var dossier = (await harness.Dossiers.GenerateAsync(inspector, harness.SubjectId, cutOff))!;
        var text = new PdfText(dossier.Content);

        var checkpoint = dossier.History.Chain.Checkpoint;
        Assert.NotNull(checkpoint);
        Assert.Equal(dossier.History.CutOffSequence, checkpoint.Sequence);
        Assert.True(text.Has($"Held against the signed checkpoint of {HistoryFormat.Time(checkpoint.At)} (event #{checkpoint.Sequence}, key {checkpoint.KeyId})"), text.Pages[0]);
    }

    [Fact]
    public async Task A_checkpoint_written_after_the_cut_off_is_not_what_that_cut_offs_dossier_is_held_against()
    {
        await using var harness = await DossierHarness.CreateAsync();
        await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.2004", StudyDate: "20260302"));
        var cutOff = harness.Clock.GetUtcNow().UtcDateTime;
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await using (var db = harness.Db())
            Assert.NotNull(await harness.Database.AuditAnchor.CheckpointHeadAsync(db, harness.Clock, CancellationToken.None));

        await using var inspector = harness.Db(DossierHarness.Inspector);
        var atCutOff = (await harness.Dossiers.GenerateAsync(inspector, harness.SubjectId, cutOff))!;
        var now = (await harness.Dossiers.GenerateAsync(inspector, harness.SubjectId, harness.Clock.GetUtcNow().UtcDateTime))!;

        Assert.Null(atCutOff.History.Chain.Checkpoint);
        Assert.Equal(atCutOff.History.CutOffSequence, now.History.Chain.Checkpoint?.Sequence);
    }

    [Fact]
    public async Task A_save_stamped_before_the_cut_off_and_still_committing_is_waited_for_so_the_cut_off_reads_the_same_later()
    {
        await using var harness = await DossierHarness.CreateAsync();
        await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.2003", StudyDate: "20260302"));
        await using var writer = harness.Db(DossierHarness.StudyManager);
        await using var transaction = await writer.Database.BeginTransactionAsync();
        writer.RecordEvent("Annotated", "Subject", harness.SubjectId.ToString(), details: """{"note":"stamped before the cut-off, committed after the dossier began"}""");
        await writer.SaveChangesAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var cutOff = harness.Clock.GetUtcNow().UtcDateTime;

        await using var inspector = harness.Db(DossierHarness.Inspector);
        // Its own thread: SQLite waits for the lock synchronously, and this thread must commit the writer.
        var reading = Task.Run(() => harness.Dossiers.GenerateAsync(inspector, harness.SubjectId, cutOff));
        // Give a dossier that does not wait the time to finish without the event; one that waits is still waiting.
        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(1)));
        await transaction.CommitAsync();
        var dossier = (await reading)!;

        await using var db = harness.Db();
        var stamped = await db.AuditEvents.Where(e => e.Action == "Annotated").Select(e => e.Sequence).SingleAsync();
        Assert.Equal(stamped, dossier.History.CutOffSequence);
    }
}
