using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Domain;
using TrialFlow.Intake.Indexing;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// The trial, site and subject rows one pipeline batch needs, each read once. Subjects are tracked: matching a visit
/// may add one, and the next object of the same subject in the batch must see it.
/// </summary>
internal sealed class BatchLookups(TrialFlowDbContext db)
{
    private readonly Dictionary<Guid, Subject?> _subjectsById = [];
    private readonly Dictionary<Guid, Trial> _trials = [];
    private readonly Dictionary<Guid, Site> _sites = [];
    private readonly Dictionary<(Guid SiteId, string SubjectKey), Subject?> _subjectsByKey = [];
    private readonly Dictionary<Guid, IReadOnlyList<QualifiedScanner>> _scanners = [];
    private readonly Dictionary<(Guid SiteId, string StudyUid), QualificationScan?> _qualificationScans = [];

    public async Task<Trial> TrialAsync(Guid trialId, CancellationToken cancellationToken)
    {
        if (!_trials.TryGetValue(trialId, out var trial))
            _trials[trialId] = trial = await db.Trials.AsNoTracking().Include(t => t.VisitSchedule).SingleAsync(t => t.Id == trialId, cancellationToken);
        return trial;
    }

    public async Task<Site> SiteAsync(Guid siteId, CancellationToken cancellationToken)
    {
        if (!_sites.TryGetValue(siteId, out var site))
            _sites[siteId] = site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == siteId, cancellationToken);
        return site;
    }

    /// <summary>The index of this batch's transaction.</summary>
    public ImagingIndexer Indexer { get; } = new(db);

    /// <summary>The subject chosen at upload, or null.</summary>
    public async Task<Subject?> SubjectAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        if (!_subjectsById.TryGetValue(subjectId, out var subject))
            _subjectsById[subjectId] = subject = await db.Subjects.Include(s => s.Visits).SingleOrDefaultAsync(s => s.Id == subjectId, cancellationToken);
        return subject;
    }

    /// <summary>The subject registered at the site under <paramref name="subjectKey"/>, or null.</summary>
    public async Task<Subject?> SubjectAsync(Guid siteId, string subjectKey, CancellationToken cancellationToken)
    {
        if (!_subjectsByKey.TryGetValue((siteId, subjectKey), out var subject))
            _subjectsByKey[(siteId, subjectKey)] = subject =
                await db.Subjects.Include(s => s.Visits).SingleOrDefaultAsync(s => s.SiteId == siteId && s.SubjectKey == subjectKey, cancellationToken);
        return subject;
    }

    /// <summary>The scanners qualified at the site, tracked: a software change noted on one is saved with the batch.</summary>
    public async Task<IReadOnlyList<QualifiedScanner>> QualifiedScannersAsync(Guid siteId, CancellationToken cancellationToken)
    {
        if (!_scanners.TryGetValue(siteId, out var scanners))
            _scanners[siteId] = scanners = await db.QualifiedScanners.Where(q => q.SiteId == siteId).ToListAsync(cancellationToken);
        return scanners;
    }

    /// <summary>The site's qualification scan with this (archived) Study Instance UID, with its images, or null.</summary>
    public async Task<QualificationScan?> QualificationScanAsync(Guid siteId, string studyUid, CancellationToken cancellationToken)
    {
        if (!_qualificationScans.TryGetValue((siteId, studyUid), out var scan))
            _qualificationScans[(siteId, studyUid)] = scan =
                await db.QualificationScans.Include(q => q.Images).SingleOrDefaultAsync(q => q.SiteId == siteId && q.StudyInstanceUid == studyUid, cancellationToken);
        return scan;
    }

    /// <summary>A scan this batch created: the next object of the same scan must find it.</summary>
    public void Remember(QualificationScan scan) => _qualificationScans[(scan.SiteId, scan.StudyInstanceUid)] = scan;
}
