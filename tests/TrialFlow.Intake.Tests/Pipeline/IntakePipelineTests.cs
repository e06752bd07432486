using System.Text;

namespace TrialFlow.Intake.Tests.Pipeline;

public sealed class IntakePipelineTests
{
    [Fact]
    public async Task A_pushed_image_is_matched_deidentified_archived_and_indexed()
    {
        await using var intake = await IntakeHarness.CreateAsync();

        var outcome = await intake.PushAsync(DicomSamples.CtImage());

        await using var db = intake.Db();
        Assert.True(outcome == IntakeOutcome.Archived, string.Join("; ", await db.QuarantineItems.Select(q => q.Reason + ": " + q.Detail).ToListAsync()));
        var instance = await db.Instances.Include(i => i.Series).ThenInclude(s => s!.Study).SingleAsync();
        var study = instance.Series!.Study!;
        var archived = await File.ReadAllBytesAsync(intake.Stores.Archive.PathOf(instance.ArchiveSha256));
        var dataset = DicomFileReader.Read(new MemoryStream(archived)).Dataset;

        Assert.Equal("101-001", dataset.GetString(DicomTags.PatientID));
        Assert.Equal(instance.SopInstanceUid, dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.StartsWith("2.25.", study.StudyInstanceUid, StringComparison.Ordinal);
        Assert.Equal("WK06", dataset.GetString(DicomTags.ClinicalTrialTimePointID));
        foreach (var canary in new[] { "Canary", "CANARY", "19610203" })
            Assert.Equal(-1, archived.AsSpan().IndexOf(Encoding.ASCII.GetBytes(canary)));

        var visit = await db.Visits.Include(v => v.Definition).SingleAsync(v => v.Id == study.VisitId);
        Assert.Equal(("WK06", new DateOnly(2026, 4, 16)), (visit.Definition!.VisitKey, visit.VisitDate!.Value));
        Assert.Equal((1, 1, "CT"), (study.NumberOfSeries, study.NumberOfInstances, study.Modalities));
        var receipt = await db.IntakeReceipts.SingleAsync();
        Assert.Equal((IntakeOutcome.Archived, IntakeChannel.DicomPush, instance.Id), (receipt.Outcome, receipt.Channel, receipt.InstanceId!.Value));
        var record = await db.AuditEvents.SingleAsync(e => e.Action == "Deidentified");
        Assert.Contains("trial-default", record.NewValues);
        Assert.Empty(intake.Stores.Staging.List());
    }

    [Fact]
    public async Task The_same_object_sent_twice_is_stored_once()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        var image = DicomSamples.CtImage();

        await intake.PushAsync(image);
        var second = await intake.PushAsync(image);

        await using var db = intake.Db();
        Assert.Equal(IntakeOutcome.Duplicate, second);
        Assert.Equal(1, await db.Instances.CountAsync());
        Assert.Equal([IntakeOutcome.Archived, IntakeOutcome.Duplicate], await db.IntakeReceipts.OrderBy(r => r.ReceivedAt).ThenBy(r => r.ProcessedAt).Select(r => r.Outcome).ToListAsync());
        Assert.Single(Directory.GetFiles(intake.Stores.Archive.DirectoryPath, "*.dcm", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_study_counts_instances_that_arrived_in_separate_transactions()
    {
        await using var intake = await IntakeHarness.CreateAsync();

        for (var i = 1; i <= 3; i++)
            await intake.PushAsync(DicomSamples.CtImage(instance: i));

        await using var db = intake.Db();
        var study = await db.Studies.Include(s => s.Series).SingleAsync();
        Assert.Equal((1, 3, 3), (study.NumberOfSeries, study.NumberOfInstances, study.Series.Single().NumberOfInstances));
    }

    [Fact]
    public async Task The_same_instance_with_different_content_is_a_conflict_and_both_are_kept()
    {
        await using var intake = await IntakeHarness.CreateAsync();

        await intake.PushAsync(DicomSamples.CtImage(fill: 100));
        var outcome = await intake.PushAsync(DicomSamples.CtImage(fill: 200));

        Assert.Equal(IntakeOutcome.Quarantined, outcome);
        await using var db = intake.Db();
        var held = await db.QuarantineItems.SingleAsync();
        Assert.Equal(QuarantineReason.ContentConflict, held.Reason);
        Assert.Single(intake.Stores.Quarantine.List());
        Assert.Equal(1, await db.Instances.CountAsync());
    }

    [Fact]
    public async Task An_unknown_patient_is_quarantined_encrypted_and_the_record_names_no_identifier()
    {
        await using var intake = await IntakeHarness.CreateAsync();

        var outcome = await intake.PushAsync(DicomSamples.CtImage(patientId: "MRN-CANARY-0042"));

        Assert.Equal(IntakeOutcome.Quarantined, outcome);
        await using var db = intake.Db();
        var held = await db.QuarantineItems.SingleAsync();
        Assert.Equal((QuarantineReason.UnknownSubject, QuarantineStatus.Open, "CT"), (held.Reason, held.Status, held.Modality));
        Assert.DoesNotContain("CANARY", held.Detail);
        Assert.Contains("site 101", held.Detail);
        Assert.Empty(intake.Stores.Staging.List());
        Assert.Equal([held.BlobName], intake.Stores.Quarantine.List());
        foreach (var file in Directory.GetFiles(intake.Stores.Quarantine.DirectoryPath))
            Assert.Equal(-1, (await File.ReadAllBytesAsync(file)).AsSpan().IndexOf("MRN-CANARY-0042"u8));
        Assert.Empty(await db.Instances.ToListAsync());
    }

    [Fact]
    public async Task A_scan_outside_every_visit_window_is_quarantined_with_its_study_day()
    {
        await using var intake = await IntakeHarness.CreateAsync();

        await intake.PushAsync(DicomSamples.CtImage(studyDate: "20260425"));

        await using var db = intake.Db();
        var held = await db.QuarantineItems.SingleAsync();
        Assert.Equal(QuarantineReason.VisitOutsideWindow, held.Reason);
        Assert.Contains("study day 54", held.Detail);
        Assert.Equal(1, await db.Visits.CountAsync());
    }

    [Fact]
    public async Task A_staged_file_that_is_not_dicom_is_quarantined_as_unreadable()
    {
        // The door refuses such a file (AdmissionTests); one staged without that check — a stream too large to parse at
        // the door, or staged by an older version — is still held, never lost.
        await using var intake = await IntakeHarness.CreateAsync();
        var bytes = Encoding.ASCII.GetBytes("this is a PDF report, not an image");
        var name = await intake.Stores.Staging.WriteAsync(new TrialFlow.Intake.Staging.StagedObject(IntakeChannel.DicomPush, intake.TrialId, intake.SiteId,
            intake.Clock.GetUtcNow().UtcDateTime, "SITE101_CT@127.0.0.1", null, null, null, bytes.Length).ToBytes(), new MemoryStream(bytes), CancellationToken.None);

        var outcome = await intake.Pipeline.ProcessAsync(name, CancellationToken.None);

        Assert.Equal(IntakeOutcome.Quarantined, outcome);
        await using var db = intake.Db();
        Assert.Equal(QuarantineReason.UnreadableFile, (await db.QuarantineItems.SingleAsync()).Reason);
    }

    [Fact]
    public async Task Releasing_an_unreadable_object_is_refused_at_the_door_and_leaves_the_item_open_with_its_bytes()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        var bytes = Encoding.ASCII.GetBytes("this is a PDF report, not an image");
        var name = await intake.Stores.Staging.WriteAsync(new TrialFlow.Intake.Staging.StagedObject(IntakeChannel.DicomPush, intake.TrialId, intake.SiteId,
            intake.Clock.GetUtcNow().UtcDateTime, "SITE101_CT@127.0.0.1", null, null, null, bytes.Length).ToBytes(), new MemoryStream(bytes), CancellationToken.None);
        await intake.Pipeline.ProcessAsync(name, CancellationToken.None);
        await using var db = intake.Db();
        var held = await db.QuarantineItems.SingleAsync();
        var subject = await db.Subjects.SingleAsync(s => s.SubjectKey == "101-001");

        await Assert.ThrowsAsync<IntakeRejectedException>(() =>
            new QuarantineDecisions(intake.Stores, intake.Receiver, intake.Clock).ReleaseAsync(db, held, subject.Id, null, "try it as 101-001", CancellationToken.None));

        await using var check = intake.Db();
        Assert.Equal(QuarantineStatus.Open, (await check.QuarantineItems.SingleAsync()).Status);
        Assert.True(intake.Stores.Quarantine.Exists(held.BlobName));
    }

    [Fact]
    public async Task Two_patient_ids_in_one_study_hold_the_second_one()
    {
        await using var intake = await IntakeHarness.CreateAsync();

        await intake.PushAsync(DicomSamples.CtImage(patientId: "101-001", instance: 1));
        var outcome = await intake.PushAsync(DicomSamples.CtImage(patientId: "101-002", instance: 2));

        Assert.Equal(IntakeOutcome.Quarantined, outcome);
        await using var db = intake.Db();
        Assert.Equal(QuarantineReason.PatientIdConflict, (await db.QuarantineItems.SingleAsync()).Reason);
    }

    [Fact]
    public async Task Objects_staged_before_a_crash_are_processed_after_the_restart_exactly_once()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        var names = new List<string>();
        for (var i = 1; i <= 3; i++)
            names.Add(await intake.StageAsync(DicomSamples.CtImage(instance: i)));
        // The first was settled and committed; its record is still in the staging log when the process dies.
        await intake.Pipeline.ProcessAsync(names[0], CancellationToken.None);

        intake.Restart();
        var recovered = intake.Receiver.Recover();
        while (intake.Receiver.TryTakePending(out var name))
            await intake.Pipeline.ProcessAsync(name, CancellationToken.None);

        Assert.Equal(3, recovered.Count);
        await using var db = intake.Db();
        Assert.Equal(3, await db.Instances.CountAsync());
        Assert.Equal(3, await db.IntakeReceipts.CountAsync());
        Assert.Empty(intake.Stores.Staging.List());
    }

    [Fact]
    public async Task An_object_staged_while_the_worker_recovers_is_queued_once()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        // Staged (and queued) by a channel in the moment the starting worker lists the staging folder.
        var staged = await intake.StageAsync(DicomSamples.CtImage(instance: 1));
        var recovered = intake.Receiver.Recover();

        var queued = new List<string>();
        while (intake.Receiver.TryTakePending(out var name))
            queued.Add(name);
        Assert.Equal([staged], recovered);
        Assert.Equal([staged], queued);
    }

    [Fact]
    public async Task An_object_larger_than_the_limit_is_refused_before_staging()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        var receiver = new IntakeReceiver(intake.Stores, intake.Options with { MaxObjectBytes = 100 });
        var image = DicomSamples.CtImage();

        var refused = await Assert.ThrowsAsync<IntakeRejectedException>(() => receiver.StageAsync(
            new TrialFlow.Intake.Staging.StagedObject(IntakeChannel.BrowserUpload, intake.TrialId, intake.SiteId, DateTime.UtcNow, "u", null, null, null, image.Length),
            new MemoryStream(image), CancellationToken.None));

        Assert.Contains("at most 100 bytes", refused.Message);
        Assert.Empty(intake.Stores.Staging.List());
    }
}
