using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Notifications;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Deid.Engine;
using TrialFlow.Deid.Pseudonyms;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.IO.Writing;
using TrialFlow.Intake.Archive;
using TrialFlow.Intake.Indexing;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// Takes staged objects through the steps every channel shares: match subject and visit, de-identify, archive,
/// index. The outcome (archived, duplicate, quarantined) is saved with its receipt and audit events in one
/// transaction; only then is the staged copy deleted. Running it again on the same object changes nothing.
/// Objects that arrive together are taken as a batch — one transaction, one archive flush — because per-object
/// commits, not the work itself, were most of intake's time.
/// </summary>
public sealed class IntakePipeline(
    IntakeStores stores, DeidProfileCatalog profiles, PseudonymStore pseudonyms, DatabaseOptions database, TimeProvider time, ILogger<IntakePipeline> logger)
{
    private readonly QualificationIntake _qualification = new(profiles, pseudonyms, time);
    private readonly ScannerControl _scanners = new(time);

    private static readonly Actor IntakeActor = Actor.System("intake");

    /// <summary>Settles one staged object: archived, duplicate, or held in quarantine with its reason.</summary>
    public async Task<IntakeOutcome?> ProcessAsync(string stagingName, CancellationToken cancellationToken)
    {
        if (!stores.Staging.Exists(stagingName))
            return null;
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, IntakeActor, time);
        if (await db.IntakeReceipts.Where(r => r.StagingName == stagingName).Select(r => (IntakeOutcome?)r.Outcome).SingleOrDefaultAsync(cancellationToken) is { } settled)
        {
            // Settled before a crash interrupted the clean-up: finish it. Held objects still go to quarantine.
            if (settled == IntakeOutcome.Quarantined)
                stores.Staging.MoveTo(stagingName, stores.Quarantine);
            else
                stores.Staging.Delete(stagingName);
            return settled;
        }

        var item = await OpenAsync(stagingName, cancellationToken);
        if (item.File is null)
            return await QuarantineAsync(stagingName, item.Staged, QuarantineReason.UnreadableFile, $"not a readable DICOM object: {item.Unreadable}", null, cancellationToken);

        using var archive = stores.Archive.BeginBatch();
        IntakeOutcome outcome;
        try
        {
            outcome = await ArchiveIntoAsync(db, new BatchLookups(db), archive, item, cancellationToken);
        }
        catch (IntakeHold hold)
        {
            return await QuarantineAsync(stagingName, item.Staged, hold.Reason, hold.Message, item.File.Dataset, cancellationToken);
        }

        archive.Commit();
        await db.SaveChangesAsync(cancellationToken);
        stores.Staging.Delete(stagingName);
        return outcome;
    }

    /// <summary>
    /// Archives several staged objects in one transaction. Returns false, having saved nothing, when any of them needs
    /// the one-at-a-time path (unreadable, held for quarantine, settled before a restart); the caller then uses
    /// <see cref="ProcessAsync"/> for each.
    /// </summary>
    public async Task<bool> TryProcessBatchAsync(IReadOnlyList<string> stagingNames, CancellationToken cancellationToken)
    {
        if (stagingNames.Any(n => !stores.Staging.Exists(n)))
            return false;
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, IntakeActor, time);
        if (await db.IntakeReceipts.AnyAsync(r => stagingNames.Contains(r.StagingName), cancellationToken))
            return false;

        var items = new List<OpenedObject>(stagingNames.Count);
        foreach (var name in stagingNames)
        {
            var item = await OpenAsync(name, cancellationToken);
            if (item.File is null)
                return false;
            items.Add(item);
        }

        var lookups = new BatchLookups(db);
        using var archive = stores.Archive.BeginBatch();
        try
        {
            await PrepareBatchAsync(lookups, items, cancellationToken);
            foreach (var item in items)
                await ArchiveIntoAsync(db, lookups, archive, item, cancellationToken);
        }
        catch (IntakeHold)
        {
            return false;
        }

        archive.Commit();
        await db.SaveChangesAsync(cancellationToken);
        foreach (var name in stagingNames)
            stores.Staging.Delete(name);
        return true;
    }

    /// <summary>
    /// Holds a staged object the pipeline keeps failing on (<see cref="QuarantineReason.ProcessingFailed"/>), with the
    /// error, so it cannot stay in staging unseen; data managers are notified and can release it again after a fix.
    /// </summary>
    public async Task<IntakeOutcome?> HoldAfterFailuresAsync(string stagingName, int attempts, string error, CancellationToken cancellationToken)
    {
        if (!stores.Staging.Exists(stagingName))
            return null;
        var item = await OpenAsync(stagingName, cancellationToken);
        var detail = $"intake failed on this object {attempts} times; last error: {error}";
        return await QuarantineAsync(stagingName, item.Staged, QuarantineReason.ProcessingFailed, detail.Length > 1000 ? detail[..1000] : detail, item.File?.Dataset, cancellationToken);
    }

    private async Task<OpenedObject> OpenAsync(string stagingName, CancellationToken cancellationToken)
    {
        var (header, content) = await stores.Staging.ReadAsync(stagingName, cancellationToken);
        var staged = StagedObject.FromBytes(header);
        try
        {
            return new OpenedObject(stagingName, staged, DicomFileReader.Read(content, cancellationToken: cancellationToken), null);
        }
        catch (DicomException e)
        {
            return new OpenedObject(stagingName, staged, null, e.Message);
        }
    }

    /// <summary>
    /// One transaction for the pseudonyms of the whole batch instead of one per object, and one query for which of
    /// the batch's instances are archived already (under their source UID or, as usual, its pseudonym).
    /// </summary>
    private async Task PrepareBatchAsync(BatchLookups lookups, IReadOnlyList<OpenedObject> items, CancellationToken cancellationToken)
    {
        var assigned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var bySite in items.GroupBy(i => i.Staged.SiteId))
        {
            var site = await lookups.SiteAsync(bySite.Key, cancellationToken);
            var profile = profiles.For(site, await lookups.TrialAsync(site.TrialId, cancellationToken));
            var uids = bySite.SelectMany(i => DeidEngine.CollectUids(i.File!.Dataset, profile)).ToHashSet(StringComparer.Ordinal);
            foreach (var (source, pseudonym) in await pseudonyms.GetOrCreateUidsAsync(uids, cancellationToken))
                assigned[source] = pseudonym;
        }

        // An instance is archived under its pseudonym, or under its own UID where a profile keeps UIDs.
        var sourceUids = items.Select(i => i.File!.Dataset.GetString(DicomTags.SOPInstanceUID)?.Trim('\0', ' ')).OfType<string>().ToList();
        var candidates = sourceUids.Concat(sourceUids.Select(assigned.GetValueOrDefault).OfType<string>());
        await lookups.Indexer.PrefetchAsync([.. candidates.Distinct(StringComparer.Ordinal)], cancellationToken);
    }

    /// <summary>Matches, de-identifies, archives (pending the batch's commit) and indexes one object on the caller's context.</summary>
    private async Task<IntakeOutcome> ArchiveIntoAsync(TrialFlowDbContext db, BatchLookups lookups, ArchiveBatch archive, OpenedObject item, CancellationToken cancellationToken)
    {
        var (stagingName, staged, file, _) = item;
        var dataset = file!.Dataset;
        var trial = await lookups.TrialAsync(staged.TrialId, cancellationToken);
        var site = await lookups.SiteAsync(staged.SiteId, cancellationToken);
        // A qualification scan is no subject's data: it goes its own way, and is welcome before the site is Active.
        if (staged.Purpose == IntakePurpose.Qualification)
            return await _qualification.ArchiveAsync(db, lookups, archive, stagingName, staged, file, trial, site, cancellationToken);
        // Before anything else: from a site that is not Active nothing is matched, linked or archived, but nothing is
        // dropped either (it was acknowledged); a data manager releases it once the site is activated.
        if (site.Status != SiteStatus.Active)
            throw new IntakeHold(QuarantineReason.SiteNotActive,
                $"site {site.SiteNumber} is {site.Status}: subject data is archived only from an Active site; release this once the site is activated");
        if (!staged.ScannerDeviationAccepted && DatasetFacts.IsImage(dataset))
            await _scanners.CheckAsync(db, lookups, site, DatasetFacts.Scanner(dataset), cancellationToken);
        var studyUid = dataset.GetString(DicomTags.StudyInstanceUID)?.Trim()
            ?? throw new IntakeHold(QuarantineReason.UnreadableFile, "the object has no Study Instance UID (0020,000D)");
        if (staged.ExpectedStudyInstanceUid is { } expected && !string.Equals(expected, studyUid, StringComparison.Ordinal))
            throw new IntakeHold(QuarantineReason.UnknownSubject,
                "the site's PACS sent this object for a pull, but it belongs to another study than the one asked for: it is not matched to the cohort's subject; a data manager can assign the subject");
        var subject = await MatchSubjectAsync(lookups, staged, site, dataset, cancellationToken);
        var patientId = dataset.GetString(DicomTags.PatientID)?.Trim() ?? "";
        if (await pseudonyms.LinkAsync(site.SiteNumber, patientId, subject.SubjectKey, studyUid, cancellationToken) is { } conflict)
            throw new IntakeHold(QuarantineReason.PatientIdConflict, conflict);

        var visit = MatchVisit(trial, subject, staged, dataset);
        var definition = trial.VisitSchedule.Single(d => d.Id == visit.VisitDefinitionId);
        var attributes = new TrialAttributes(trial.Sponsor, trial.ProtocolId, site.SiteNumber, site.Name,
            TimePointId: definition.VisitKey, TimePointDescription: definition.Name);
        var result = await new StoreBackedDeidentifier(profiles.For(site, trial), pseudonyms, attributes)
            .DeidentifyAsync(dataset, subject.SubjectKey, cancellationToken);
        if (result.NeedsBurnedInReview)
            throw new IntakeHold(QuarantineReason.BurnedInAnnotationRisk, "may carry burned-in text: " + string.Join("; ", result.Record.BurnedInAnnotationRisks));

        using var bytes = new MemoryStream();
        DicomFileWriter.Write(result.Dataset, bytes, sourceSyntax: file.TransferSyntax);
        var hash = await archive.AddAsync(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        // QC checks visit windows in study days; the archived dates are shifted, so the day is taken here, before de-identification.
        var target = new IndexTarget(trial.Id, site.Id, subject.Id, visit.Id, StudyDay(trial, subject, dataset));
        switch (await lookups.Indexer.IndexAsync(result.Dataset, target, hash, bytes.Length, staged.ReceivedAt, cancellationToken))
        {
            case IndexOutcome.Indexed indexed:
                db.RecordEvent("Deidentified", "ImagingInstance", indexed.Instance.Id.ToString(), site.Id, result.Record.ToJson());
                db.IntakeReceipts.Add(Receipt(stagingName, staged, now, IntakeOutcome.Archived, null, indexed.Study.Id, indexed.Instance.Id, null));
                return IntakeOutcome.Archived;
            case IndexOutcome.Duplicate duplicate:
                db.IntakeReceipts.Add(Receipt(stagingName, staged, now, IntakeOutcome.Duplicate, "already archived with identical content", duplicate.Study.Id, duplicate.Instance.Id, null));
                return IntakeOutcome.Duplicate;
            case IndexOutcome.Conflict c:
                throw new IntakeHold(QuarantineReason.ContentConflict, $"SOP Instance {c.Existing.SopInstanceUid} is already archived with different content (archived object {c.Existing.ArchiveSha256[..12]}…); both are kept for a data manager");
            case IndexOutcome.WrongSubject w:
                throw new IntakeHold(QuarantineReason.PatientIdConflict, $"study {w.Existing.StudyInstanceUid} is already indexed for another subject");
            default:
                throw new InvalidOperationException("unknown index outcome");
        }
    }

    private async Task<Subject> MatchSubjectAsync(BatchLookups lookups, StagedObject staged, Site site, DicomDataset dataset, CancellationToken cancellationToken)
    {
        if (staged.DeclaredSubjectId is { } declared)
        {
            var subject = await lookups.SubjectAsync(declared, cancellationToken);
            return subject is not null && subject.SiteId == site.Id
                ? subject
                : throw new IntakeHold(QuarantineReason.UnknownSubject, $"the subject chosen at upload is not a subject of site {site.SiteNumber}");
        }

        // Sites are asked to send the trial subject id as Patient ID. A site that sends its own Patient ID (an MRN) is
        // matched through the link a data manager's assignment, or an upload for a chosen subject, recorded before;
        // anything else waits in quarantine for a data manager.
        var patientId = dataset.GetString(DicomTags.PatientID)?.Trim();
        if (string.IsNullOrEmpty(patientId))
            throw new IntakeHold(QuarantineReason.UnknownSubject, "the object has no Patient ID, and no subject was chosen at upload");
        var matched = await lookups.SubjectAsync(site.Id, patientId, cancellationToken);
        if (matched is null && await pseudonyms.FindLinkedSubjectAsync(site.SiteNumber, patientId, cancellationToken) is { } linkedKey)
            matched = await lookups.SubjectAsync(site.Id, linkedKey, cancellationToken);
        return matched ?? throw new IntakeHold(QuarantineReason.UnknownSubject,
            $"the Patient ID is not a registered subject of site {site.SiteNumber}, nor linked to one; a data manager can assign the subject");
    }

    private static Visit MatchVisit(Trial trial, Subject subject, StagedObject staged, DicomDataset dataset)
    {
        var studyDate = DatasetFacts.StudyDate(dataset);
        if (staged.DeclaredVisitId is { } declared)
            return subject.Visits.SingleOrDefault(v => v.Id == declared)
                ?? throw new IntakeHold(QuarantineReason.VisitOutsideWindow, "the visit chosen at upload is not a visit of this subject");

        var match = VisitMatcher.Match(trial.VisitSchedule, subject.Visits, studyDate);
        if (!match.IsMatched)
            throw new IntakeHold(QuarantineReason.VisitOutsideWindow, match.Problem!);
        var visit = match.Existing ?? subject.AddVisit(match.Definition!, studyDate);
        if (visit.VisitDate is null && studyDate is { } date)
            visit.RecordOccurred(date);
        return visit;
    }

    private static int? StudyDay(Trial trial, Subject subject, DicomDataset dataset)
    {
        var baseline = trial.VisitSchedule.Where(v => v.NominalDay == 0).OrderBy(v => v.Order).FirstOrDefault();
        var baselineDate = baseline is null ? null : subject.Visits.FirstOrDefault(v => v.VisitDefinitionId == baseline.Id)?.VisitDate;
        return DatasetFacts.StudyDate(dataset) is { } date && baselineDate is { } day0 ? date.DayNumber - day0.DayNumber : null;
    }

    private async Task<IntakeOutcome> QuarantineAsync(string stagingName, StagedObject staged, QuarantineReason reason, string detail, DicomDataset? dataset, CancellationToken cancellationToken)
    {
        // A fresh context: nothing the failed attempt tracked (a new visit, index rows) may be saved with the hold.
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, IntakeActor, time);
        var item = new QuarantineItem(staged.TrialId, staged.SiteId, staged.Channel, reason, detail, stagingName, staged.ReceivedAt, staged.UploadSessionId,
            dataset?.GetString(DicomTags.Modality)?.Trim(), (dataset is null ? null : DatasetFacts.StudyDate(dataset)), dataset?.GetString(DicomTags.SOPClassUID)?.Trim());
        db.QuarantineItems.Add(stores.Grouping.Describe(item, dataset));
        if (reason == QuarantineReason.ProcessingFailed)
            db.StaffNotifications.Add(new StaffNotification(staged.TrialId, staged.SiteId, TrialFlowRoles.DataManager,
                "An object could not be processed and is held in quarantine",
                $"Received {staged.ReceivedAt:yyyy-MM-dd HH:mm} UTC via {staged.Channel}. {detail}", "/quarantine", time.GetUtcNow().UtcDateTime));
        db.IntakeReceipts.Add(Receipt(stagingName, staged, time.GetUtcNow().UtcDateTime, IntakeOutcome.Quarantined, $"{reason}: {detail}", null, null, item.Id));
        await db.SaveChangesAsync(cancellationToken);
        stores.Staging.MoveTo(stagingName, stores.Quarantine);
        logger.LogWarning("Quarantined {Staging} from site {Site} via {Channel}: {Reason}: {Detail}", stagingName, staged.SiteId, staged.Channel, reason, detail);
        return IntakeOutcome.Quarantined;
    }

    internal static IntakeReceipt Receipt(string stagingName, StagedObject staged, DateTime now, IntakeOutcome outcome, string? reason, Guid? studyId, Guid? instanceId, Guid? quarantineId) =>
        new(stagingName, staged.TrialId, staged.SiteId, staged.Channel, staged.ReceivedAt, now, outcome, reason, staged.SizeBytes, staged.UploadSessionId, studyId, instanceId, quarantineId, staged.Sender, staged.ClientReference);

    private sealed record OpenedObject(string StagingName, StagedObject Staged, DicomFile? File, string? Unreadable);
}
