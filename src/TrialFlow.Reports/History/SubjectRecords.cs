using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Audit;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;

namespace TrialFlow.Reports.History;

/// <summary>
/// The records of one subject as of a cut-off, loaded once and shared by every <see cref="IHistorySection"/>: the
/// subject, its trial, site, visits and studies (series and instances), the audit chain verified up to the cut-off, and
/// the audit events of the records shown. Records made after the cut-off are left out, so the same cut-off gives the same
/// history.
/// </summary>
public sealed class SubjectRecords
{
    private readonly HashSet<string> _covered = new(StringComparer.Ordinal);
    private IReadOnlyList<AuditEvent> _events = [];
    private int _eventsCoverCount = -1;

    private SubjectRecords(TrialFlowDbContext db, Trial trial, Site site, Subject subject, IReadOnlyList<ImagingStudy> studies,
        DateTime cutOff, long cutOffSequence, AuditVerification chain)
    {
        Db = db;
        Trial = trial;
        Site = site;
        Subject = subject;
        Studies = studies;
        CutOff = cutOff;
        CutOffSequence = cutOffSequence;
        Chain = chain;
    }

    /// <summary>The requester's context: site scoping applies to everything a section reads through it.</summary>
    public TrialFlowDbContext Db { get; }

    public Trial Trial { get; }

    public Site Site { get; }

    public Subject Subject { get; }

    /// <summary>The subject's visits in schedule order, each with its definition.</summary>
    public IReadOnlyList<Visit> Visits => Subject.Visits;

    /// <summary>Studies received up to the cut-off, with series and instances, oldest first.</summary>
    public IReadOnlyList<ImagingStudy> Studies { get; }

    /// <summary>UTC, whole seconds: records and events after it are not part of this history.</summary>
    public DateTime CutOff { get; }

    /// <summary>The last audit event (of the whole chain) at or before <see cref="CutOff"/>; 0 when there is none.</summary>
    public long CutOffSequence { get; }

    /// <summary>The audit chain verified from its first event up to <see cref="CutOffSequence"/>.</summary>
    public AuditVerification Chain { get; }

    /// <summary>Declares records a section shows, so the audit trail section includes their events.</summary>
    public void Cover(IEnumerable<string> entityIds)
    {
        foreach (var id in entityIds)
            _covered.Add(id);
    }

    public void Cover(params Guid[] entityIds) => Cover(entityIds.Select(id => id.ToString()));

    /// <summary>
    /// The audit events of every covered record up to the cut-off, in chain order. Loaded again only when sections
    /// covered more records since the last call.
    /// </summary>
    public async Task<IReadOnlyList<AuditEvent>> EventsAsync(CancellationToken cancellationToken)
    {
        if (_eventsCoverCount == _covered.Count)
            return _events;
        var ids = _covered.ToList();
        var cut = CutOffSequence;
        _events = await Db.AuditEvents.AsNoTracking().Where(e => e.Sequence <= cut && ids.Contains(e.EntityId))
            .OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        _eventsCoverCount = ids.Count;
        return _events;
    }

    /// <summary>
    /// The value <paramref name="property"/> of a record had at the cut-off, read from its audit events (the record
    /// itself holds today's value); <paramref name="current"/> when no event at or before the cut-off set it.
    /// </summary>
    public async Task<string> AsOfCutOffAsync(string entityId, string property, string current, CancellationToken cancellationToken)
    {
        string? value = null;
        foreach (var e in (await EventsAsync(cancellationToken)).Where(e => e.EntityId == entityId && e.NewValues is not null))
        {
            using var json = JsonDocument.Parse(e.NewValues!);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(property, out var v))
                value = v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
        }
        return value ?? current;
    }

    /// <summary>Loads the subject's records as of <paramref name="cutOff"/>; null when the subject does not exist or is outside the requester's sites.</summary>
    public static async Task<SubjectRecords?> LoadAsync(TrialFlowDbContext db, Guid subjectId, DateTime cutOff, CancellationToken cancellationToken)
    {
        cutOff = HistoryFormat.CutOff(cutOff);
        // A save stamped at or before the cut-off may still be committing; reading before it did would give this cut-off
        // one dossier now and another later.
        await AuditChainAppender.WaitForAppendsInFlightAsync(db, cancellationToken);
        var subject = await db.Subjects.AsNoTracking().Include(s => s.Visits).ThenInclude(v => v.Definition)
            .SingleOrDefaultAsync(s => s.Id == subjectId, cancellationToken);
        if (subject is null)
            return null;
        var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == subject.TrialId, cancellationToken);
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == subject.SiteId, cancellationToken);
        var studies = await db.Studies.AsNoTracking().AsSplitQuery()
            .Include(s => s.Series).ThenInclude(s => s.Instances)
            .Where(s => s.SubjectId == subjectId && s.ReceivedAt <= cutOff)
            .OrderBy(s => s.ReceivedAt).ThenBy(s => s.StudyInstanceUid)
            .ToListAsync(cancellationToken);
        var cutOffSequence = await db.AuditEvents.Where(e => e.OccurredAt <= cutOff).MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        var chain = await AuditChainVerifier.VerifyAsync(db, cutOffSequence, cancellationToken, checkpointsMadeBy: cutOff);

        var records = new SubjectRecords(db, trial, site, subject, studies, cutOff, cutOffSequence, chain);
        records.Cover(subject.Id);
        records.Cover(subject.Visits.Select(v => v.Id).ToArray());
        foreach (var study in studies)
        {
            records.Cover(study.Id);
            records.Cover(study.Series.Select(s => s.Id).ToArray());
            records.Cover(study.Series.SelectMany(s => s.Instances).Select(i => i.Id).ToArray());
        }
        return records;
    }
}
