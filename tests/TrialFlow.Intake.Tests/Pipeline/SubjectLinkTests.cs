namespace TrialFlow.Intake.Tests.Pipeline;

/// <summary>A site that sends its own Patient ID (an MRN) is matched through the link a data manager's decision recorded.</summary>
public sealed class SubjectLinkTests
{
    [Fact]
    public async Task After_a_data_manager_assigns_an_MRN_to_a_subject_later_objects_with_that_MRN_match_by_themselves()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        Assert.Equal(IntakeOutcome.Quarantined, await intake.PushAsync(DicomSamples.CtImage(patientId: "MRN-7731", instance: 1)));

        await using (var db = intake.Db())
        {
            var held = await db.QuarantineItems.SingleAsync();
            var subject = await db.Subjects.SingleAsync(s => s.SubjectKey == "101-001");
            await new QuarantineDecisions(intake.Stores, intake.Receiver, intake.Clock).ReleaseAsync(db, held, subject.Id, null, "MRN-7731 is 101-001 per the site's enrolment log", CancellationToken.None);
        }
        // The queue also holds the first staging of the object, settled already; the release is the last one queued.
        var released = "";
        while (intake.Receiver.TryTakePending(out var name))
            released = name;
        Assert.Equal(IntakeOutcome.Archived, await intake.Pipeline.ProcessAsync(released, CancellationToken.None));

        var later = await intake.PushAsync(DicomSamples.CtImage(patientId: "MRN-7731", study: "1.2.826.0.1.3680043.2.77", instance: 2));

        Assert.Equal(IntakeOutcome.Archived, later);
        await using var check = intake.Db();
        var subjectId = (await check.Subjects.SingleAsync(s => s.SubjectKey == "101-001")).Id;
        Assert.Equal(2, await check.Studies.CountAsync(s => s.SubjectId == subjectId));
    }

    [Fact]
    public async Task An_MRN_never_assigned_is_still_held_for_a_data_manager()
    {
        await using var intake = await IntakeHarness.CreateAsync();

        var outcome = await intake.PushAsync(DicomSamples.CtImage(patientId: "MRN-0001"));

        Assert.Equal(IntakeOutcome.Quarantined, outcome);
        await using var db = intake.Db();
        Assert.Contains("nor linked to one", (await db.QuarantineItems.SingleAsync()).Detail);
    }
}
