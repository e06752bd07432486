namespace TrialFlow.Intake.Tests.Pipeline;

/// <summary>Objects that arrive together are settled in one transaction, or not at all and then one by one.</summary>
public sealed class IntakeBatchTests
{
    [Fact]
    public async Task A_batch_of_a_study_is_archived_indexed_and_unstaged_together()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        var names = new List<string>();
        for (var i = 1; i <= 5; i++)
            names.Add(await intake.StageAsync(DicomSamples.CtImage(instance: i)));

        var settled = await intake.Pipeline.TryProcessBatchAsync(names, CancellationToken.None);

        Assert.True(settled);
        await using var db = intake.Db();
        var study = await db.Studies.SingleAsync();
        Assert.Equal((1, 5), (study.NumberOfSeries, study.NumberOfInstances));
        Assert.Equal(Enumerable.Repeat(IntakeOutcome.Archived, 5), await db.IntakeReceipts.Select(r => r.Outcome).ToListAsync());
        Assert.Equal(5, await db.AuditEvents.CountAsync(e => e.Action == "Deidentified"));
        Assert.Equal(5, Directory.GetFiles(intake.Stores.Archive.DirectoryPath, "*.dcm", SearchOption.AllDirectories).Length);
        Assert.Empty(Directory.GetFiles(intake.Stores.Archive.DirectoryPath, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(["BASELINE", "WK06"], await db.Visits.Select(v => v.Definition!.VisitKey).OrderBy(k => k).ToListAsync());
        Assert.Empty(intake.Stores.Staging.List());
    }

    [Fact]
    public async Task A_batch_sent_again_is_recorded_as_duplicates_and_stores_nothing_twice()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        var images = Enumerable.Range(1, 3).Select(i => DicomSamples.CtImage(instance: i)).ToList();
        var first = new List<string>();
        foreach (var image in images)
            first.Add(await intake.StageAsync(image));
        Assert.True(await intake.Pipeline.TryProcessBatchAsync(first, CancellationToken.None));

        var again = new List<string>();
        foreach (var image in images)
            again.Add(await intake.StageAsync(image));
        var settled = await intake.Pipeline.TryProcessBatchAsync(again, CancellationToken.None);

        Assert.True(settled);
        await using var db = intake.Db();
        Assert.Equal(3, await db.Instances.CountAsync());
        Assert.Equal(3, await db.IntakeReceipts.CountAsync(r => r.Outcome == IntakeOutcome.Duplicate && again.Contains(r.StagingName)));
        Assert.Equal(3, (await db.Studies.SingleAsync()).NumberOfInstances);
    }

    [Fact]
    public async Task A_batch_with_an_object_to_hold_saves_nothing_and_one_by_one_holds_only_that_object()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        var names = new List<string>
        {
            await intake.StageAsync(DicomSamples.CtImage(instance: 1)),
            await intake.StageAsync(DicomSamples.CtImage(patientId: "MRN-UNKNOWN", study: "1.2.826.0.1.3680043.2.9", instance: 2)),
            await intake.StageAsync(DicomSamples.CtImage(instance: 3)),
        };

        var settled = await intake.Pipeline.TryProcessBatchAsync(names, CancellationToken.None);

        Assert.False(settled);
        await using (var db = intake.Db())
        {
            Assert.Empty(await db.IntakeReceipts.ToListAsync());
            Assert.Empty(await db.Instances.ToListAsync());
        }
        Assert.Empty(Directory.Exists(intake.Stores.Archive.DirectoryPath) ? Directory.GetFiles(intake.Stores.Archive.DirectoryPath, "*", SearchOption.AllDirectories) : []);
        Assert.Equal(3, intake.Stores.Staging.List().Count);

        foreach (var name in names)
            await intake.Pipeline.ProcessAsync(name, CancellationToken.None);

        await using (var db = intake.Db())
        {
            Assert.Equal([IntakeOutcome.Archived, IntakeOutcome.Quarantined, IntakeOutcome.Archived],
                await db.IntakeReceipts.OrderBy(r => r.ReceivedAt).ThenBy(r => r.StagingName).Select(r => r.Outcome).ToListAsync());
            Assert.Equal(QuarantineReason.UnknownSubject, (await db.QuarantineItems.SingleAsync()).Reason);
        }
        Assert.Empty(intake.Stores.Staging.List());
    }
}
