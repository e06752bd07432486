namespace TrialFlow.Core.Tests.Imaging;

public sealed class StudyLifecycleTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 9, 0, 0, DateTimeKind.Utc);

    private static ImagingStudy Study() => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, "2.25.4242", Now);

    [Fact]
    public void A_study_goes_from_receiving_through_qc_and_review_to_reviewed()
    {
        var study = Study();

        study.MarkComplete(Now);
        study.RecordQcOutcome(passed: false);
        study.RecordQcOutcome(passed: true); // QC run again after a rescan
        study.StartReview();
        study.MarkReviewed();

        Assert.Equal(StudyStatus.Reviewed, study.Status);
        Assert.Equal(Now, study.CompletedAt);
    }

    [Fact]
    public void A_study_of_a_trial_without_qc_goes_from_complete_to_review()
    {
        var study = Study();
        study.MarkComplete(Now);

        Assert.True(study.MoveTo(StudyStatus.InReview));
        Assert.False(study.MoveTo(StudyStatus.InReview)); // a repeated step changes nothing
    }

    [Theory]
    [InlineData(StudyStatus.Receiving, StudyStatus.QcPassed)]   // QC before intake finished
    [InlineData(StudyStatus.Receiving, StudyStatus.Reviewed)]
    [InlineData(StudyStatus.QcFailed, StudyStatus.InReview)]    // a failed study is not read
    [InlineData(StudyStatus.InReview, StudyStatus.QcFailed)]    // QC does not pull a study out of review
    [InlineData(StudyStatus.Reviewed, StudyStatus.InReview)]    // reviewed is final
    [InlineData(StudyStatus.Complete, StudyStatus.Receiving)]
    public void A_move_the_lifecycle_does_not_allow_is_refused_and_changes_nothing(StudyStatus from, StudyStatus to)
    {
        var study = StudyIn(from);

        var refused = Assert.Throws<StudyTransitionException>(() => study.MoveTo(to));

        Assert.Equal(from, study.Status);
        Assert.Contains("2.25.4242", refused.Message);
        Assert.Contains($"is {from}: it cannot become {to}", refused.Message);
    }

    [Fact]
    public void The_refusal_says_where_the_study_may_go()
    {
        var study = StudyIn(StudyStatus.QcFailed);

        var refused = Assert.Throws<StudyTransitionException>(() => study.StartReview());

        Assert.Contains("from QcFailed it may become QcPassed", refused.Message);
        Assert.Contains("nothing: it is final", Assert.Throws<StudyTransitionException>(() => StudyIn(StudyStatus.Reviewed).StartReview()).Message);
    }

    private static ImagingStudy StudyIn(StudyStatus status)
    {
        var study = Study();
        var path = status switch
        {
            StudyStatus.Receiving => Array.Empty<StudyStatus>(),
            StudyStatus.Complete => new[] { StudyStatus.Complete },
            StudyStatus.QcPassed => [StudyStatus.Complete, StudyStatus.QcPassed],
            StudyStatus.QcFailed => [StudyStatus.Complete, StudyStatus.QcFailed],
            StudyStatus.InReview => [StudyStatus.Complete, StudyStatus.InReview],
            StudyStatus.Reviewed => [StudyStatus.Complete, StudyStatus.InReview, StudyStatus.Reviewed],
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
        foreach (var step in path)
            study.MoveTo(step);
        return study;
    }
}
