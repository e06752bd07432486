using TrialFlow.Core.Identity;

namespace TrialFlow.Intake.Tests.Pipeline;

/// <summary>
/// Once a site has a qualified scanner, its images must come from a scanner qualified there for their modality; others
/// are held as ScannerNotQualified, never dropped, and released once the scanner is qualified or as an accepted deviation.
/// </summary>
public sealed class ScannerControlTests
{
    private static readonly (string, string, string?, string?) Force = ("SIEMENS", "SOMATOM Force", "SN-4711", "syngo CT VA50");

    [Fact]
    public async Task A_site_without_qualified_scanners_is_not_held_for_its_scanner()
    {
        await using var intake = await IntakeHarness.CreateAsync();

        Assert.Equal(IntakeOutcome.Archived, await intake.PushAsync(DicomSamples.CtImage(scanner: ("GE MEDICAL SYSTEMS", "LightSpeed", null, null))));
    }

    [Theory]
    [InlineData("SIEMENS", "SOMATOM Force", "SN-4711", IntakeOutcome.Archived)]
    [InlineData("siemens", "SOMATOM Force ", null, IntakeOutcome.Archived)]
    [InlineData("SIEMENS", "SOMATOM Force", "SN-9999", IntakeOutcome.Quarantined)]
    [InlineData("GE MEDICAL SYSTEMS", "Revolution CT", null, IntakeOutcome.Quarantined)]
    public async Task An_image_is_archived_only_from_a_scanner_qualified_at_the_site_for_its_modality(string manufacturer, string model, string? serial, IntakeOutcome expected)
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await QualifyAsync(intake, "CT", Force);

        Assert.Equal(expected, await intake.PushAsync(DicomSamples.CtImage(scanner: (manufacturer, model, serial, null))));
    }

    [Fact]
    public async Task The_sample_image_names_the_scanner_the_demo_site_qualified()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await QualifyAsync(intake, "CT", ("SIEMENS", "SOMATOM Force", null, null));

        Assert.Equal(IntakeOutcome.Archived, await intake.PushAsync(DicomSamples.CtImage()));
    }

    [Fact]
    public async Task The_hold_names_the_scanner_and_what_the_site_has_qualified()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await QualifyAsync(intake, "CT", Force);
        await QualifyAsync(intake, "MR", ("GE MEDICAL SYSTEMS", "SIGNA Premier", null, null));

        await intake.PushAsync(DicomSamples.CtImage(scanner: ("GE MEDICAL SYSTEMS", "SIGNA Premier", null, null)));

        await using var db = intake.Db();
        var held = await db.QuarantineItems.SingleAsync();
        Assert.Equal(QuarantineReason.ScannerNotQualified, held.Reason);
        Assert.Equal("the image comes from CT GE MEDICAL SYSTEMS SIGNA Premier, which is not qualified at site 101 (qualified for CT: SIEMENS SOMATOM Force); "
            + "release it once the scanner passed a qualification scan, or release it as an accepted protocol deviation", held.Detail);
        Assert.True(intake.Stores.Quarantine.Exists(held.BlobName));
        Assert.Equal(0, await db.Instances.CountAsync());
    }

    [Fact]
    public async Task An_image_without_a_named_scanner_is_held_at_a_site_under_scanner_control()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await QualifyAsync(intake, "CT", Force);

        Assert.Equal(IntakeOutcome.Quarantined, await intake.PushAsync(DicomSamples.CtImage(scanner: DicomSamples.NoScanner)));
    }

    [Fact]
    public async Task A_data_manager_releases_an_image_from_an_unqualified_scanner_as_an_accepted_deviation_and_it_is_archived()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await QualifyAsync(intake, "CT", Force);
        await intake.PushAsync(DicomSamples.CtImage(scanner: ("GE MEDICAL SYSTEMS", "Revolution CT", null, null)));

        await using (var db = intake.Db())
        {
            var held = await db.QuarantineItems.SingleAsync();
            Assert.True(QuarantineReasons.ReleasableAsItCame(held.Reason));
            await new QuarantineDecisions(intake.Stores, intake.Receiver, intake.Clock)
                .ReleaseAsync(db, held, null, null, "emergency scanner used for the baseline; deviation PD-101-004 filed", CancellationToken.None);
        }
        while (intake.Receiver.TryTakePending(out var name))
            await intake.Pipeline.ProcessAsync(name, CancellationToken.None);

        await using var check = intake.Db();
        Assert.Equal(1, await check.Instances.CountAsync());
        Assert.Equal(QuarantineStatus.Released, (await check.QuarantineItems.SingleAsync()).Status);
    }

    [Fact]
    public async Task A_software_change_of_a_qualified_scanner_is_let_through_and_flagged_once_for_the_study_team()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await QualifyAsync(intake, "CT", Force);

        var first = await intake.PushAsync(DicomSamples.CtImage(instance: 1, scanner: ("SIEMENS", "SOMATOM Force", "SN-4711", "syngo CT VA60")));
        var second = await intake.PushAsync(DicomSamples.CtImage(instance: 2, scanner: ("SIEMENS", "SOMATOM Force", "SN-4711", "syngo CT VA60")));

        Assert.Equal((IntakeOutcome.Archived, IntakeOutcome.Archived), (first, second));
        await using var db = intake.Db();
        var scanner = await db.QualifiedScanners.SingleAsync();
        Assert.Equal(("syngo CT VA50", "syngo CT VA60"), (scanner.SoftwareVersions, scanner.SoftwareChangedTo));
        var notice = await db.StaffNotifications.SingleAsync();
        Assert.Equal((TrialFlowRoles.StudyManager, "Scanner software changed at site 101"), (notice.RecipientRole, notice.Title));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "ScannerSoftwareChanged"));
    }

    private static async Task QualifyAsync(IntakeHarness intake, string modality, (string Manufacturer, string Model, string? Serial, string? Software) s)
    {
        await using var db = intake.Db();
        db.QualifiedScanners.Add(new QualifiedScanner(intake.TrialId, intake.SiteId, new ScannerIdentity(modality, s.Manufacturer, s.Model, null, s.Serial, s.Software),
            "tf-test-protocol", "test", "tests", intake.Clock.GetUtcNow().UtcDateTime, null));
        await db.SaveChangesAsync();
    }
}
