using TrialFlow.Intake.Events;

namespace TrialFlow.Intake.Tests.Pipeline;

/// <summary>
/// A qualification scan is taken before the site is Active, de-identified like subject data, and archived apart from it:
/// no subject, visit or study of the trial ever sees it. It completes as a pushed study does, which starts its evaluation.
/// </summary>
public sealed class QualificationScanTests
{
    private static readonly (string, string, string?, string?) Force = ("SIEMENS", "SOMATOM Force", "SN-4711", "syngo CT VA50");

    [Fact]
    public async Task A_qualification_scan_from_a_site_that_is_not_Active_is_archived_apart_from_subject_data_with_its_scanner()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await SiteStatusAsync(intake, SiteStatus.Suspended);

        var first = await ProcessAsync(intake, DicomSamples.CtImage(patientId: "PHANTOM-1", study: "1.2.826.0.1.3680043.2.9", instance: 1, scanner: Force));
        var second = await ProcessAsync(intake, DicomSamples.CtImage(patientId: "PHANTOM-1", study: "1.2.826.0.1.3680043.2.9", instance: 2, scanner: Force));

        Assert.Equal((IntakeOutcome.Archived, IntakeOutcome.Archived), (first, second));
        await using var db = intake.Db();
        var scan = await db.QualificationScans.Include(q => q.Images).SingleAsync();
        Assert.Equal((QualificationScanStatus.Receiving, 2, "CT"), (scan.Status, scan.NumberOfImages, scan.Modality));
        // The scanner as the site sent it, serial number included; the archive holds the de-identified object.
        Assert.Equal(("SIEMENS", "SOMATOM Force", "SN-4711", "syngo CT VA50"), (scan.Manufacturer, scan.Model, scan.DeviceSerialNumber, scan.SoftwareVersions));
        Assert.NotEqual("1.2.826.0.1.3680043.2.9", scan.StudyInstanceUid);
        await using (var stream = intake.Stores.Archive.OpenRead(scan.Images[0].ArchiveSha256))
        {
            var archived = (await DicomFileReader.ReadAsync(stream)).Dataset;
            Assert.Equal("QUAL-101", archived.GetString(DicomTags.PatientID));
            Assert.NotEqual("Doe^Jane Canary", archived.GetString(DicomTags.PatientName));
            Assert.Equal(scan.StudyInstanceUid, archived.GetString(DicomTags.StudyInstanceUID));
        }
        Assert.Equal((0, 0), (await db.Studies.CountAsync(), await db.QuarantineItems.CountAsync()));
        Assert.Equal(2, await db.IntakeReceipts.CountAsync(r => r.Outcome == IntakeOutcome.Archived && r.StudyId == null));
    }

    [Fact]
    public async Task A_resent_image_of_a_qualification_scan_is_a_duplicate()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        var image = DicomSamples.CtImage(patientId: "PHANTOM-1", instance: 1, scanner: Force);

        await ProcessAsync(intake, image);
        var again = await ProcessAsync(intake, image);

        Assert.Equal(IntakeOutcome.Duplicate, again);
        await using var db = intake.Db();
        Assert.Equal(1, (await db.QualificationScans.SingleAsync()).NumberOfImages);
    }

    [Fact]
    public async Task A_qualification_scan_that_does_not_name_its_scanner_is_held_saying_what_is_missing()
    {
        await using var intake = await IntakeHarness.CreateAsync();

        var outcome = await ProcessAsync(intake, DicomSamples.CtImage(patientId: "PHANTOM-1", scanner: DicomSamples.NoScanner));

        Assert.Equal(IntakeOutcome.Quarantined, outcome);
        await using var db = intake.Db();
        var held = await db.QuarantineItems.SingleAsync();
        Assert.Equal(QuarantineReason.ScannerNotQualified, held.Reason);
        Assert.Equal("a qualification scan must name its scanner: Manufacturer (0008,0070) and Manufacturer's Model Name (0008,1090) are required", held.Detail);
        Assert.Equal(0, await db.QualificationScans.CountAsync());
    }

    [Fact]
    public async Task A_closed_site_qualifies_no_more_scanners()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await SiteStatusAsync(intake, SiteStatus.Closed);

        var outcome = await ProcessAsync(intake, DicomSamples.CtImage(patientId: "PHANTOM-1", scanner: Force));

        Assert.Equal(IntakeOutcome.Quarantined, outcome);
        await using var db = intake.Db();
        Assert.Equal((QuarantineReason.SiteNotActive, "site 101 is Closed: it qualifies no more scanners"), await db.QuarantineItems.Select(q => ValueTuple.Create(q.Reason, q.Detail)).SingleAsync());
    }

    [Fact]
    public async Task A_pushed_qualification_scan_completes_once_quiet_and_tells_the_other_modules_once()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await ProcessAsync(intake, DicomSamples.CtImage(patientId: "PHANTOM-1", scanner: Force));
        var completion = new StudyCompletion(intake.Database, intake.Options, intake.Clock);

        Assert.Empty(await completion.CompleteStableQualificationScansAsync(CancellationToken.None));
        intake.Clock.Advance(intake.Options.StableStudyAge + TimeSpan.FromSeconds(1));
        var completed = Assert.Single(await completion.CompleteStableQualificationScansAsync(CancellationToken.None));
        Assert.Empty(await completion.CompleteStableQualificationScansAsync(CancellationToken.None));

        await using var db = intake.Db();
        Assert.Equal(QualificationScanStatus.Complete, (await db.QualificationScans.SingleAsync()).Status);
        var message = Assert.Single(await db.Outbox.Where(m => m.Type.EndsWith(nameof(QualificationScanCompleted))).ToListAsync());
        Assert.Contains(completed.Id.ToString(), message.Payload);
    }

    internal static async Task<IntakeOutcome?> ProcessAsync(IntakeHarness intake, byte[] bytes, IntakePurpose purpose = IntakePurpose.Qualification) =>
        await intake.Pipeline.ProcessAsync(await intake.StageAsync(bytes, purpose: purpose), CancellationToken.None);

    internal static async Task SiteStatusAsync(IntakeHarness intake, SiteStatus to)
    {
        await using var db = intake.Db();
        var site = await db.Sites.Include(s => s.StatusChanges).SingleAsync(s => s.Id == intake.SiteId);
        site.ChangeStatus(to, "for the test", intake.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();
    }
}
