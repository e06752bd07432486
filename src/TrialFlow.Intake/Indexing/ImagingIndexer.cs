using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Dicom;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Intake.Indexing;

/// <summary>Where a de-identified object belongs: the trial records intake matched it to, and its study day (from undisguised dates).</summary>
public sealed record IndexTarget(Guid TrialId, Guid SiteId, Guid SubjectId, Guid? VisitId, int? StudyDay = null);

public abstract record IndexOutcome
{
    /// <summary>A new instance row (and, where needed, new study and series rows).</summary>
    public sealed record Indexed(ImagingStudy Study, ImagingInstance Instance) : IndexOutcome;

    /// <summary>The same object arrived before: same SOP Instance UID, same bytes. Nothing changes.</summary>
    public sealed record Duplicate(ImagingStudy Study, ImagingInstance Instance) : IndexOutcome;

    /// <summary>The SOP Instance UID is archived with different bytes: a conflict for a data manager.</summary>
    public sealed record Conflict(ImagingInstance Existing) : IndexOutcome;

    /// <summary>The study is already indexed under another subject: never merged silently.</summary>
    public sealed record WrongSubject(ImagingStudy Existing) : IndexOutcome;
}

/// <summary>
/// Adds de-identified objects to the study / series / instance index. Changes are tracked on the caller's context,
/// which saves them with the receipts and the audit events in one transaction; one indexer serves one such
/// transaction and remembers what it added, so objects of the same study in one batch find each other without
/// asking the change tracker (whose lookups rescan every tracked entity).
/// </summary>
public sealed class ImagingIndexer(TrialFlowDbContext db)
{
    private readonly Dictionary<string, ImagingStudy> _studies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ImagingStudy Study, ImagingInstance Instance)> _added = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImagingInstance?> _prefetched = new(StringComparer.Ordinal);

    /// <summary>
    /// Looks up, in one query, which of <paramref name="sopInstanceUids"/> are archived already, so indexing a batch
    /// does not ask once per object.
    /// </summary>
    public async Task PrefetchAsync(IReadOnlyCollection<string> sopInstanceUids, CancellationToken cancellationToken)
    {
        var found = await db.Instances.Include(i => i.Series).ThenInclude(s => s!.Study)
            .Where(i => sopInstanceUids.Contains(i.SopInstanceUid)).ToDictionaryAsync(i => i.SopInstanceUid, StringComparer.Ordinal, cancellationToken);
        foreach (var uid in sopInstanceUids)
            _prefetched[uid] = found.GetValueOrDefault(uid);
    }

    public async Task<IndexOutcome> IndexAsync(
        DicomDataset dataset, IndexTarget target, string archiveSha256, long archiveSize, DateTime receivedAt, CancellationToken cancellationToken)
    {
        var sopInstanceUid = Required(dataset, DicomTags.SOPInstanceUID);
        if (_added.TryGetValue(sopInstanceUid, out var sameBatch))
            return sameBatch.Instance.ArchiveSha256 == archiveSha256
                ? new IndexOutcome.Duplicate(sameBatch.Study, sameBatch.Instance)
                : new IndexOutcome.Conflict(sameBatch.Instance);
        var existing = _prefetched.TryGetValue(sopInstanceUid, out var known)
            ? known
            : await db.Instances.Include(i => i.Series).ThenInclude(s => s!.Study).SingleOrDefaultAsync(i => i.SopInstanceUid == sopInstanceUid, cancellationToken);
        if (existing is not null)
            return existing.ArchiveSha256 == archiveSha256
                ? new IndexOutcome.Duplicate(existing.Series!.Study!, existing)
                : new IndexOutcome.Conflict(existing);

        var studyUid = Required(dataset, DicomTags.StudyInstanceUID);
        if (!_studies.TryGetValue(studyUid, out var study) && await db.Studies.Include(s => s.Series).SingleOrDefaultAsync(s => s.StudyInstanceUid == studyUid, cancellationToken) is { } stored)
            _studies[studyUid] = study = stored;
        if (study is not null && study.SubjectId != target.SubjectId)
            return new IndexOutcome.WrongSubject(study);
        if (study is null)
        {
            study = new ImagingStudy(target.TrialId, target.SiteId, target.SubjectId, target.VisitId, studyUid, receivedAt);
            study.Describe(DatasetFacts.StudyDate(dataset), Text(dataset, DicomTags.StudyDescription, 256), target.StudyDay);
            db.Studies.Add(study);
            _studies[studyUid] = study;
        }

        var seriesUid = Required(dataset, DicomTags.SeriesInstanceUID);
        var series = study.Series.SingleOrDefault(s => s.SeriesInstanceUid == seriesUid)
            ?? study.AddSeries(seriesUid, Text(dataset, DicomTags.Modality, 16) ?? "OT",
                dataset.TryGet<int>(DicomTags.SeriesNumber, out var seriesNumber) ? seriesNumber : null, Text(dataset, DicomTags.SeriesDescription, 256));

        var instance = series.AddInstance(sopInstanceUid, Required(dataset, DicomTags.SOPClassUID),
            dataset.TryGet<int>(DicomTags.InstanceNumber, out var instanceNumber) ? instanceNumber : null, archiveSha256, archiveSize, receivedAt);
        study.Recount();
        study.RecordArrival(receivedAt);
        _added[sopInstanceUid] = (study, instance);
        return new IndexOutcome.Indexed(study, instance);
    }

    private static string Required(DicomDataset dataset, DicomTag tag) =>
        dataset.GetString(tag)?.Trim('\0', ' ') is { Length: > 0 } value
            ? value
            : throw new InvalidDataException($"{tag} {DicomDictionaryName(tag)} is missing or empty.");

    private static string? Text(DicomDataset dataset, DicomTag tag, int maxLength) =>
        dataset.GetString(tag)?.Trim() is { Length: > 0 } value ? value[..Math.Min(value.Length, maxLength)] : null;

    private static string DicomDictionaryName(DicomTag tag) => DicomDictionary.Find(tag)?.Keyword ?? "";
}
