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
            await harness.Database.AuditAnchor.CheckpointHeadAsync(db, cutOff, CancellationToken.None);

        await using var inspector = harness.Db(DossierHarness.Inspector);
        var dossier = (await harness.Dossiers.GenerateAsync(inspector, harness.SubjectId, cutOff))!;
        var text = new PdfText(dossier.Content);

        var checkpoint = dossier.History.Chain.Checkpoint;
        Assert.NotNull(checkpoint);
        Assert.Equal(dossier.History.CutOffSequence, checkpoint.Sequence);
        Assert.True(text.Has($"Held against the signed checkpoint of {HistoryFormat.Time(checkpoint.At)} (event #{checkpoint.Sequence}, key {checkpoint.KeyId})"), text.Pages[0]);
    }
}
