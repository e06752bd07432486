namespace TrialFlow.Intake.Tests.Pipeline;

/// <summary>
/// Data from a site that is not Active is acknowledged and held, never archived and never dropped: in quarantine as
/// SiteNotActive, where a data manager releases it as it came once the site is Active again.
/// </summary>
public sealed class SiteNotActiveTests
{
    [Theory]
    [InlineData(SiteStatus.Suspended)]
    [InlineData(SiteStatus.Closed)]
    public async Task An_object_from_a_site_that_is_not_Active_is_held_with_the_reason_and_nothing_is_archived_or_linked(SiteStatus status)
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await ChangeSiteAsync(intake, status);
        int visitsBefore;
        await using (var before = intake.Db())
            visitsBefore = await before.Visits.CountAsync();

        var outcome = await intake.PushAsync(DicomSamples.CtImage(patientId: "101-001", instance: 1));

        Assert.Equal(IntakeOutcome.Quarantined, outcome);
        await using var db = intake.Db();
        var held = await db.QuarantineItems.SingleAsync();
        Assert.Equal(QuarantineReason.SiteNotActive, held.Reason);
        Assert.Equal($"site 101 is {status}: subject data is archived only from an Active site; release this once the site is activated", held.Detail);
        Assert.True(intake.Stores.Quarantine.Exists(held.BlobName));
        Assert.Equal(0, await db.Instances.CountAsync());
        Assert.Equal(visitsBefore, await db.Visits.CountAsync());
    }

    [Fact]
    public async Task Once_the_site_is_Active_again_a_data_manager_releases_the_held_object_as_it_came_and_it_is_archived()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        await ChangeSiteAsync(intake, SiteStatus.Suspended);
        await intake.PushAsync(DicomSamples.CtImage(patientId: "101-001", instance: 1));
        await ChangeSiteAsync(intake, SiteStatus.Active);

        await using (var db = intake.Db())
        {
            var held = await db.QuarantineItems.SingleAsync();
            Assert.True(QuarantineReasons.ReleasableAsItCame(held.Reason));
            await new QuarantineDecisions(intake.Stores, intake.Receiver, intake.Clock).ReleaseAsync(db, held, null, null, "site 101 re-activated after the CAPA", CancellationToken.None);
        }
        while (intake.Receiver.TryTakePending(out var name))
            await intake.Pipeline.ProcessAsync(name, CancellationToken.None);

        await using var check = intake.Db();
        Assert.Equal(1, await check.Instances.CountAsync());
        Assert.Equal(QuarantineStatus.Released, (await check.QuarantineItems.SingleAsync()).Status);
    }

    private static async Task ChangeSiteAsync(IntakeHarness intake, SiteStatus to)
    {
        await using var db = intake.Db();
        var site = await db.Sites.Include(s => s.StatusChanges).SingleAsync(s => s.Id == intake.SiteId);
        site.ChangeStatus(to, "for the test", intake.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();
    }
}
