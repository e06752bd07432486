namespace TrialFlow.Retrieval.Tests.Jobs;

public sealed class PullJobTests
{
    private static readonly DateTime Now = new(2026, 12, 8, 9, 0, 0, DateTimeKind.Utc);
    private static readonly PacsEndpoint Pacs = new("ORTHANC", "pacs.example", 104, "TRIALFLOW", "https://pacs.example/dicom-web/");

    private static PullJob Job(PullMethod method = PullMethod.Get, int concurrency = 3, params PullItemState[] items)
    {
        var job = new PullJob(Guid.NewGuid(), Guid.NewGuid(), method, Pacs, "cohort.csv", new string('a', 64), "dm", Now, concurrency, null);
        var line = 2;
        foreach (var state in items.DefaultIfEmpty(PullItemState.Pending))
            job.Add(state == PullItemState.NotPlanned
                ? PullItem.NotPlanned(job.Id, job.SiteId, line++, "701-101", null, "patient_id", null, "no study")
                : PullItem.Study(job.Id, job.SiteId, line++, "701-101", Guid.NewGuid(), "patient_id", null, [1], null, "CT", 1, 3));
        return job;
    }

    [Fact]
    public void A_job_runs_through_its_states_and_refuses_steps_its_state_does_not_allow_saying_why()
    {
        var job = Job();

        Assert.Equal("cannot pause a planned pull: only while it is running", Assert.Throws<PullJobStateException>(job.Pause).Message);
        job.Start(Now);
        job.Pause();
        Assert.Equal("cannot start a paused pull: only while it is planned", Assert.Throws<PullJobStateException>(() => job.Start(Now)).Message);
        job.Resume();
        job.Cancel(Now);

        Assert.Equal((PullJobState.Cancelled, PullItemState.Cancelled), (job.State, job.Items.Single().State));
        Assert.Throws<PullJobStateException>(() => job.Cancel(Now));
    }

    [Fact]
    public void A_job_with_nothing_planned_cannot_start_and_a_move_job_retrieves_one_study_at_a_time()
    {
        Assert.Equal("nothing to retrieve: no row of the cohort found a study it can pull",
            Assert.Throws<PullJobStateException>(() => Job(items: PullItemState.NotPlanned).Start(Now)).Message);
        Assert.Equal(1, Job(PullMethod.Move, concurrency: 4).MaxConcurrentStudies);
        Assert.Equal(4, Job(PullMethod.DicomWeb, concurrency: 4).MaxConcurrentStudies);
        Assert.Throws<ArgumentOutOfRangeException>(() => Job(concurrency: 9));
    }

    [Fact]
    public void A_failed_study_is_retried_until_its_attempts_are_spent_and_retry_failed_reopens_a_completed_job()
    {
        var job = Job(items: [PullItemState.Pending, PullItemState.Pending]);
        job.Start(Now);
        var (good, bad) = (job.Items[0], job.Items[1]);
        good.Begin();
        good.Retrieved(3, 0, null, Now);
        bad.Begin();
        bad.Failed("C-GET ended with status 0xA702", Now.AddSeconds(30));
        Assert.Equal((PullItemState.Pending, 1), (bad.State, bad.Attempts));
        Assert.False(job.CompleteIfDone(Now));
        bad.Begin();
        bad.Failed("C-GET ended with status 0xA702", retryAt: null);

        Assert.True(job.CompleteIfDone(Now));
        Assert.Equal(1, job.RetryFailed());
        Assert.Equal((PullJobState.Running, PullItemState.Pending, 0), (job.State, bad.State, bad.Attempts));
    }

    [Fact]
    public void An_interrupted_attempt_is_not_counted_as_a_failure()
    {
        var item = Job().Items.Single();
        item.Begin();
        item.Interrupted();

        Assert.Equal((PullItemState.Pending, 0), (item.State, item.Attempts));
    }
}
