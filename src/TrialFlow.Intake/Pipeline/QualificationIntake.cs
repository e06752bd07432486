using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Deid.Engine;
using TrialFlow.Deid.Pseudonyms;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO;
using TrialFlow.Dicom.IO.Writing;
using TrialFlow.Intake.Archive;
using TrialFlow.Intake.Domain;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// Takes a qualification scan's object through de-identification (the site's profile, as its subject data will be) into
/// the archive, indexed under a <see cref="QualificationScan"/> instead of a subject's study: never matched to a subject,
/// never in a worklist, DICOMweb or a dossier. Welcome from a site that is not yet Active — qualifying is how it gets there —
/// but not from a Closed one.
/// </summary>
internal sealed class QualificationIntake(DeidProfileCatalog profiles, PseudonymStore pseudonyms, TimeProvider time)
{
    public async Task<IntakeOutcome> ArchiveAsync(TrialFlowDbContext db, BatchLookups lookups, ArchiveBatch archive, string stagingName, StagedObject staged,
        DicomFile file, Trial trial, Site site, CancellationToken cancellationToken)
    {
        if (site.Status == SiteStatus.Closed)
            throw new IntakeHold(QuarantineReason.SiteNotActive, $"site {site.SiteNumber} is Closed: it qualifies no more scanners");
        var dataset = file.Dataset;
        var scanner = DatasetFacts.Scanner(dataset);
        if (!scanner.IsNamed)
            throw new IntakeHold(QuarantineReason.ScannerNotQualified,
                "a qualification scan must name its scanner: Manufacturer (0008,0070) and Manufacturer's Model Name (0008,1090) are required");
        if (dataset.GetString(DicomTags.StudyInstanceUID)?.Trim() is not { Length: > 0 })
            throw new IntakeHold(QuarantineReason.UnreadableFile, "the object has no Study Instance UID (0020,000D)");

        // One pseudonymous "subject" per site for its qualification scans: the profile replaces the phantom's or
        // volunteer's identity as it would a patient's, and no subject of the trial is involved.
        var attributes = new TrialAttributes(trial.Sponsor, trial.ProtocolId, site.SiteNumber, site.Name,
            TimePointId: "QUALIFICATION", TimePointDescription: "Scanner qualification");
        var result = await new StoreBackedDeidentifier(profiles.For(site, trial), pseudonyms, attributes)
            .DeidentifyAsync(dataset, $"QUAL-{site.SiteNumber}", cancellationToken);
        if (result.NeedsBurnedInReview)
            throw new IntakeHold(QuarantineReason.BurnedInAnnotationRisk, "may carry burned-in text: " + string.Join("; ", result.Record.BurnedInAnnotationRisks));

        using var bytes = new MemoryStream();
        DicomFileWriter.Write(result.Dataset, bytes, sourceSyntax: file.TransferSyntax);
        var hash = await archive.AddAsync(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), cancellationToken);

        var archived = result.Dataset;
        var studyUid = DatasetFacts.Text(archived, DicomTags.StudyInstanceUID)!;
        var scan = await lookups.QualificationScanAsync(site.Id, studyUid, cancellationToken);
        if (scan is null)
        {
            scan = new QualificationScan(trial.Id, site.Id, studyUid, scanner, staged.Channel, staged.UploadSessionId, staged.ReceivedAt);
            db.QualificationScans.Add(scan);
            lookups.Remember(scan);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var added = scan.AddImage(DatasetFacts.Text(archived, DicomTags.SeriesInstanceUID) ?? studyUid,
            archived.TryGet<int>(DicomTags.SeriesNumber, out var seriesNumber) ? seriesNumber : null,
            DatasetFacts.Text(archived, DicomTags.SeriesDescription) is { } description ? description[..Math.Min(description.Length, 128)] : null,
            DatasetFacts.Text(archived, DicomTags.Modality) ?? scanner.Modality,
            DatasetFacts.Text(archived, DicomTags.SOPInstanceUID) ?? "",
            DatasetFacts.Text(archived, DicomTags.SOPClassUID) ?? "",
            archived.TryGet<int>(DicomTags.InstanceNumber, out var instanceNumber) ? instanceNumber : null,
            hash, bytes.Length, staged.ReceivedAt);
        if (!added)
        {
            db.IntakeReceipts.Add(IntakePipeline.Receipt(stagingName, staged, now, IntakeOutcome.Duplicate, "already archived in this qualification scan", null, null, null));
            return IntakeOutcome.Duplicate;
        }
        db.RecordEvent("Deidentified", nameof(QualificationScan), scan.Id.ToString(), site.Id, result.Record.ToJson());
        db.IntakeReceipts.Add(IntakePipeline.Receipt(stagingName, staged, now, IntakeOutcome.Archived,
            $"qualification scan of {scanner}", null, null, null));
        return IntakeOutcome.Archived;
    }
}
