using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Intake.Tests.Pipeline;

/// <summary>
/// No acknowledged object stays in limbo: one the pipeline always fails on is tried a few times, then held in
/// quarantine as ProcessingFailed with the error, counted as held and announced to data managers, while the objects
/// around it are archived; after the fix a data manager releases it and it is archived too.
/// </summary>
public sealed class PoisonObjectTests
{
    private const int PoisonSeries = 666;

    [Fact]
    public async Task An_object_that_always_fails_ends_in_quarantine_after_three_tries_while_the_others_archive()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await PoisonSeriesAsync(intake);
        var worker = intake.Worker();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            for (var i = 1; i <= 5; i++)
                await intake.StageAsync(DicomSamples.CtImage(instance: i));
            var poison = await intake.StageAsync(InSeries(DicomSamples.CtImage(instance: 99), PoisonSeries));

            await UntilAsync(intake, async db => await db.Instances.CountAsync() == 5 && intake.Stores.Attempts.Get(poison).Count == 1);
            // The worker sets its retry timer just after it counts the failure: the clock moves on each look, not once,
            // so a look that lands between the two cannot leave the timer waiting for time that never comes.
            await UntilAsync(intake, _ => Task.FromResult(intake.Stores.Attempts.Get(poison).Count >= 2), () => intake.Clock.Advance(intake.Options.RetryDelay));
            await UntilAsync(intake, async db => await db.QuarantineItems.AnyAsync(), () => intake.Clock.Advance(intake.Options.RetryDelay * 4));

            await using var check = intake.Db();
            var held = await check.QuarantineItems.SingleAsync();
            Assert.Equal(QuarantineReason.ProcessingFailed, held.Reason);
            Assert.Contains("3 times", held.Detail);
            Assert.Contains("poisoned series", held.Detail);
            Assert.Equal(IntakeOutcome.Quarantined, (await check.IntakeReceipts.SingleAsync(r => r.StagingName == poison)).Outcome);
            var notice = await check.StaffNotifications.SingleAsync();
            Assert.Equal(TrialFlowRoles.DataManager, notice.RecipientRole);
            Assert.Equal("/quarantine", notice.Link);
            Assert.Equal(5, await check.Instances.CountAsync());
            Assert.Empty(intake.Stores.Staging.List());
            Assert.True(intake.Stores.Quarantine.Exists(held.BlobName));

            // The fix (here: the fault goes away), then the data manager sends it again as it came.
            await using (var db = intake.Db())
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER poison");
            await using (var db = intake.Db())
            {
                var item = await db.QuarantineItems.SingleAsync();
                await new QuarantineDecisions(intake.Stores, intake.Receiver, intake.Clock).ReleaseAsync(db, item, null, null, "fixed in 1.2.3: series 666 no longer fails", CancellationToken.None);
            }
            await UntilAsync(intake, async db => await db.Instances.CountAsync() == 6);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_crash_while_processing_an_object_counts_as_a_failed_attempt_so_a_crashing_object_ends_in_quarantine()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await PoisonSeriesAsync(intake);
        var suspect = await intake.StageAsync(InSeries(DicomSamples.CtImage(instance: 1), PoisonSeries));

        // The host died while working on it (what a crash leaves behind: the object named in flight). On start the
        // crash counts once, and the object, tried alone, fails once more.
        intake.Stores.Attempts.Begin([suspect]);
        intake.Restart();
        var worker = intake.Worker();
        await worker.StartAsync(CancellationToken.None);
        await UntilAsync(intake, _ => Task.FromResult(intake.Stores.Attempts.Get(suspect).Count == 2));
        await worker.StopAsync(CancellationToken.None);

        // It died on it again: the third failure holds it, before anything is tried.
        intake.Stores.Attempts.Begin([suspect]);
        intake.Restart();
        worker = intake.Worker();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await UntilAsync(intake, async db => await db.QuarantineItems.AnyAsync());
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        await using var check = intake.Db();
        var held = await check.QuarantineItems.SingleAsync();
        Assert.Equal(QuarantineReason.ProcessingFailed, held.Reason);
        Assert.Contains("host stopped while processing", held.Detail);
        Assert.Empty(intake.Stores.Staging.List());
    }

    [Fact]
    public void Errors_are_recorded_without_the_values_they_quote()
    {
        var error = IntakeWorker.Redacted(new DicomValueException("'Müller^Hans' cannot be encoded in Specific Character Set ''", DicomTags.PatientName));

        Assert.DoesNotContain("Müller", error);
        Assert.Contains("cannot be encoded", error);
    }

    /// <summary>A real, always-failing fault: the database refuses to index series 666.</summary>
    private static async Task PoisonSeriesAsync(IntakeHarness intake)
    {
        await using var db = intake.Db();
        await db.Database.ExecuteSqlRawAsync(
            $"CREATE TRIGGER poison BEFORE INSERT ON Series WHEN NEW.SeriesNumber = {PoisonSeries} BEGIN SELECT RAISE(ABORT, 'poisoned series'); END;");
    }

    private static byte[] InSeries(byte[] image, int number)
    {
        var file = DicomFileReader.Read(new MemoryStream(image));
        file.Dataset.AddOrUpdate(DicomTags.SeriesNumber, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        file.Dataset.AddOrUpdate(DicomTags.SeriesInstanceUID, file.Dataset.GetString(DicomTags.SeriesInstanceUID) + "." + number);
        using var bytes = new MemoryStream();
        DicomFileWriter.Write(file, bytes);
        return bytes.ToArray();
    }

    private static Task UntilAsync(IntakeHarness intake, Func<Core.Persistence.TrialFlowDbContext, Task<bool>> condition, Action? betweenLooks = null) =>
        Eventually.UntilAsync(async () =>
        {
            betweenLooks?.Invoke();
            await using var db = intake.Db();
            return await condition(db)
                ? null
                : $"{await db.Instances.CountAsync()} archived, {await db.QuarantineItems.CountAsync()} held, {intake.Stores.Staging.List().Count} staged";
        }, state => state is null, "the intake worker");
}
