using TrialFlow.Core.Events;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Events;

namespace TrialFlow.Intake.Domain;

public enum QualificationScanStatus
{
    Receiving,

    /// <summary>Finished arriving; waiting for its evaluation.</summary>
    Complete,

    /// <summary>Evaluated: QC found nothing major; the scanner is qualified for the modality.</summary>
    Passed,

    /// <summary>Evaluated: QC found what the protocol does not allow; the scanner is not qualified by it.</summary>
    Failed,
}

/// <summary>
/// A scan a site sent to qualify a scanner (one Study Instance UID): archived (de-identified) apart from subject data,
/// so it never appears in a subject's record, a worklist or DICOMweb; evaluated by QC once complete.
/// </summary>
public sealed class QualificationScan : ISiteOwned, IRaisesEvents
{
    private readonly List<QualificationImage> _images = [];
    private readonly List<IModuleEvent> _raised = [];

    private QualificationScan() { }

    public QualificationScan(Guid trialId, Guid siteId, string studyInstanceUid, ScannerIdentity scanner, IntakeChannel channel, Guid? uploadSessionId, DateTime receivedAt)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        SiteId = siteId;
        StudyInstanceUid = studyInstanceUid;
        Modality = scanner.Modality;
        Manufacturer = scanner.Manufacturer;
        Model = scanner.Model;
        StationName = scanner.StationName;
        DeviceSerialNumber = scanner.DeviceSerialNumber;
        SoftwareVersions = scanner.SoftwareVersions;
        Channel = channel;
        UploadSessionId = uploadSessionId;
        ReceivedAt = receivedAt;
        LastReceivedAt = receivedAt;
        Status = QualificationScanStatus.Receiving;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    /// <summary>The archived (pseudonymous) Study Instance UID.</summary>
    public string StudyInstanceUid { get; private set; } = "";

    public string Modality { get; private set; } = "";

    public string? Manufacturer { get; private set; }

    public string? Model { get; private set; }

    public string? StationName { get; private set; }

    public string? DeviceSerialNumber { get; private set; }

    public string? SoftwareVersions { get; private set; }

    public IntakeChannel Channel { get; private set; }

    public Guid? UploadSessionId { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    public DateTime LastReceivedAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public QualificationScanStatus Status { get; private set; }

    /// <summary>QC's outcome (Passed, PassedWithFindings, Failed), the ruleset and protocol it used, and its findings, one per line.</summary>
    public string? Outcome { get; private set; }

    public string? EvaluatedWith { get; private set; }

    public string? Findings { get; private set; }

    public DateTime? EvaluatedAt { get; private set; }

    public int NumberOfImages { get; private set; }

    public IReadOnlyList<QualificationImage> Images => _images;

    public ScannerIdentity Scanner => new(Modality, Manufacturer, Model, StationName, DeviceSerialNumber, SoftwareVersions);

    /// <summary>Adds an archived image; false when the scan has it already (a resend).</summary>
    public bool AddImage(string seriesInstanceUid, int? seriesNumber, string? seriesDescription, string modality, string sopInstanceUid, string sopClassUid,
        int? instanceNumber, string archiveSha256, long archiveSize, DateTime receivedAt)
    {
        if (_images.Any(i => i.SopInstanceUid == sopInstanceUid))
            return false;
        _images.Add(new QualificationImage(Id, SiteId, seriesInstanceUid, seriesNumber, seriesDescription, modality, sopInstanceUid, sopClassUid, instanceNumber, archiveSha256, archiveSize));
        NumberOfImages = _images.Count;
        if (receivedAt > LastReceivedAt)
            LastReceivedAt = receivedAt;
        // Images arriving after an evaluation (a resend completing the scan) make it evaluate again once quiet.
        if (Status != QualificationScanStatus.Receiving)
            Status = QualificationScanStatus.Receiving;
        return true;
    }

    public void MarkComplete(DateTime at)
    {
        if (Status != QualificationScanStatus.Receiving)
            return;
        Status = QualificationScanStatus.Complete;
        CompletedAt = at;
        _raised.Add(new QualificationScanCompleted(Id, TrialId, SiteId, at));
    }

    /// <summary>
    /// Asks for the scan to be judged again (a new ruleset or protocol version): back to Complete, with the event that
    /// starts its evaluation. Only a judged scan; one still receiving is judged once it completes anyway.
    /// </summary>
    public void Reevaluate(DateTime at)
    {
        if (Status is not (QualificationScanStatus.Passed or QualificationScanStatus.Failed))
            throw new InvalidOperationException($"The qualification scan is {Status}: it is judged once it is complete.");
        Status = QualificationScanStatus.Complete;
        _raised.Add(new QualificationScanCompleted(Id, TrialId, SiteId, at));
    }

    public void RecordEvaluation(bool passed, string outcome, string evaluatedWith, IEnumerable<string> findings, DateTime at)
    {
        Status = passed ? QualificationScanStatus.Passed : QualificationScanStatus.Failed;
        Outcome = outcome;
        EvaluatedWith = evaluatedWith;
        Findings = string.Join('\n', findings);
        EvaluatedAt = at;
    }

    IReadOnlyList<IModuleEvent> IRaisesEvents.RaisedEvents() => _raised;

    void IRaisesEvents.ClearRaisedEvents() => _raised.Clear();
}

/// <summary>One archived image of a qualification scan.</summary>
public sealed class QualificationImage : ISiteOwned
{
    private QualificationImage() { }

    internal QualificationImage(Guid scanId, Guid siteId, string seriesInstanceUid, int? seriesNumber, string? seriesDescription, string modality,
        string sopInstanceUid, string sopClassUid, int? instanceNumber, string archiveSha256, long archiveSize)
    {
        Id = Guid.NewGuid();
        ScanId = scanId;
        SiteId = siteId;
        SeriesInstanceUid = seriesInstanceUid;
        SeriesNumber = seriesNumber;
        SeriesDescription = seriesDescription;
        Modality = modality;
        SopInstanceUid = sopInstanceUid;
        SopClassUid = sopClassUid;
        InstanceNumber = instanceNumber;
        ArchiveSha256 = archiveSha256;
        ArchiveSize = archiveSize;
    }

    public Guid Id { get; private set; }

    public Guid ScanId { get; private set; }

    public Guid SiteId { get; private set; }

    public string SeriesInstanceUid { get; private set; } = "";

    public int? SeriesNumber { get; private set; }

    public string? SeriesDescription { get; private set; }

    public string Modality { get; private set; } = "";

    public string SopInstanceUid { get; private set; } = "";

    public string SopClassUid { get; private set; } = "";

    public int? InstanceNumber { get; private set; }

    public string ArchiveSha256 { get; private set; } = "";

    public long ArchiveSize { get; private set; }
}
