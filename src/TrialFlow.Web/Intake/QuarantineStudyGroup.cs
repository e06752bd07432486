using TrialFlow.Intake.Domain;

namespace TrialFlow.Web.Intake;

/// <summary>
/// The held objects of one study from one site, as a data manager decides on them: a study of 300 files held for the
/// same cause is one decision, not 300. An object whose study could not be read stands alone (its key is its item id).
/// </summary>
/// <param name="Key">The study's key (a keyed hash of its Study Instance UID), or the item id of an object without one.</param>
/// <param name="PatientIdHint">The site's Patient ID masked to its last four characters; several, comma-separated, if the files disagree.</param>
/// <param name="Modality">The modalities of the files, comma-separated.</param>
/// <param name="SeriesCount">Distinct series among the files (0 when none could be read).</param>
public sealed record QuarantineStudyGroup(
    string Key,
    Guid SiteId,
    string SiteNumber,
    string? PatientIdHint,
    DateOnly? StudyDate,
    string? Modality,
    int SeriesCount,
    int FileCount,
    IReadOnlyList<QuarantineReasonCount> Reasons,
    DateTime OldestReceivedAt,
    DateTime NewestReceivedAt,
    IReadOnlyList<Guid> ItemIds)
{
    /// <summary>
    /// Whether the files may go through intake again without a chosen subject: only when every one was held for a reason
    /// that was not the object's own (see <see cref="QuarantineReasons.ReleasableAsItCame"/>).
    /// </summary>
    public bool CanReleaseWithoutSubject => Reasons.All(r => QuarantineReasons.ReleasableAsItCame(r.Reason));
}

public sealed record QuarantineReasonCount(QuarantineReason Reason, int Count);

/// <param name="TotalGroups">Groups in the whole quarantine (of the caller's sites), not only on this page.</param>
/// <param name="TotalFiles">Held objects in the whole quarantine (of the caller's sites).</param>
public sealed record QuarantineStudyPage(int TotalGroups, int TotalFiles, int Skip, int Take, IReadOnlyList<QuarantineStudyGroup> Groups);
