namespace TrialFlow.Core.Imaging;

/// <summary>
/// Where an imaging study may go from where it is. One table for every caller (intake, QC, a workflow's
/// SetStudyStatus, a seeder), so no module can put a study in a state the others do not expect.
/// </summary>
/// <remarks>
/// QC may be run again while the study waits for review (a rescan answered a query, a ruleset was corrected), so
/// QcPassed and QcFailed move between each other. A study that failed QC does not go to central review; a study
/// whose trial has no QC goes from Complete straight to review.
/// </remarks>
public static class StudyLifecycle
{
    private static readonly Dictionary<StudyStatus, StudyStatus[]> Next = new()
    {
        [StudyStatus.Receiving] = [StudyStatus.Complete],
        [StudyStatus.Complete] = [StudyStatus.QcPassed, StudyStatus.QcFailed, StudyStatus.InReview],
        [StudyStatus.QcPassed] = [StudyStatus.QcFailed, StudyStatus.InReview],
        [StudyStatus.QcFailed] = [StudyStatus.QcPassed],
        [StudyStatus.InReview] = [StudyStatus.Reviewed],
        [StudyStatus.Reviewed] = [],
    };

    public static bool Allows(StudyStatus from, StudyStatus to) => Next[from].Contains(to);

    /// <summary>The statuses a study in <paramref name="from"/> may move to.</summary>
    public static IReadOnlyList<StudyStatus> From(StudyStatus from) => Next[from];
}

/// <summary>A study was asked to move where its lifecycle does not go (reviewed before review, QC after review).</summary>
public sealed class StudyTransitionException(string studyInstanceUid, StudyStatus from, StudyStatus to)
    : InvalidOperationException($"Study {studyInstanceUid} is {from}: it cannot become {to} " +
                                $"(from {from} it may become {Describe(StudyLifecycle.From(from))}). Nothing was saved.")
{
    public StudyStatus From { get; } = from;

    public StudyStatus To { get; } = to;

    private static string Describe(IReadOnlyList<StudyStatus> next) => next.Count == 0 ? "nothing: it is final" : string.Join(" or ", next);
}
