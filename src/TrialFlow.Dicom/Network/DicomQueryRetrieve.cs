namespace TrialFlow.Dicom.Network;

/// <summary>The levels of a Query/Retrieve information model (PS3.4 C.3), as (0008,0052) Query/Retrieve Level names them.</summary>
public enum DicomQueryLevel
{
    Patient,
    Study,
    Series,
    Image,
}

/// <summary>The Query/Retrieve SOP classes (PS3.4 C.6) and the identifiers a client sends with them.</summary>
public static class DicomQueryRetrieve
{
    public const string PatientRootFind = "1.2.840.10008.5.1.4.1.2.1.1";
    public const string PatientRootMove = "1.2.840.10008.5.1.4.1.2.1.2";
    public const string PatientRootGet = "1.2.840.10008.5.1.4.1.2.1.3";
    public const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    public const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";
    public const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";

    /// <summary>
    /// The storage SOP classes a C-GET proposes to receive by default: the image and object classes clinical trials acquire
    /// (CT, MR, PET, NM, US, CR, DX, MG, XA, SC, SEG, RT structure sets, their enhanced forms, SR, encapsulated PDF).
    /// </summary>
    public static IReadOnlyList<string> TrialStorageSopClasses { get; } =
    [
        "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.4.1",
        "1.2.840.10008.5.1.4.1.1.128", "1.2.840.10008.5.1.4.1.1.130", "1.2.840.10008.5.1.4.1.1.20", "1.2.840.10008.5.1.4.1.1.6.1",
        "1.2.840.10008.5.1.4.1.1.3.1", "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.2",
        "1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.7.2", "1.2.840.10008.5.1.4.1.1.7.4",
        "1.2.840.10008.5.1.4.1.1.66.4", "1.2.840.10008.5.1.4.1.1.481.3", "1.2.840.10008.5.1.4.1.1.88.11", "1.2.840.10008.5.1.4.1.1.88.22",
        "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.104.1",
    ];

    /// <summary>(0008,0052) for <paramref name="level"/>.</summary>
    public static string LevelName(DicomQueryLevel level) => level switch
    {
        DicomQueryLevel.Patient => "PATIENT",
        DicomQueryLevel.Study => "STUDY",
        DicomQueryLevel.Series => "SERIES",
        _ => "IMAGE",
    };

    /// <summary>
    /// A Study Root identifier at <paramref name="level"/>: the matching keys given (null: universal match, returned) and the
    /// return keys a retrieve planner needs at that level, empty so the peer fills them in.
    /// </summary>
    public static DicomDataset Identifier(DicomQueryLevel level, IReadOnlyDictionary<DicomTag, string?> keys)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.QueryRetrieveLevel, LevelName(level));
        foreach (var tag in ReturnKeys(level))
            identifier.AddOrUpdate(tag, Array.Empty<string>());
        foreach (var (tag, value) in keys)
            identifier.AddOrUpdate(tag, value is null ? Array.Empty<string>() : [value]);
        return identifier;
    }

    /// <summary>
    /// The identifier of a C-MOVE or C-GET (PS3.4 C.4.2.2.1): the level and the unique keys down to it, nothing else
    /// (a PACS may read any other key as a filter, or refuse it). Study level: the study; series: study and series; image:
    /// study, series and instance.
    /// </summary>
    public static DicomDataset RetrieveIdentifier(string studyInstanceUid, string? seriesInstanceUid = null, string? sopInstanceUid = null)
    {
        var level = sopInstanceUid is not null ? DicomQueryLevel.Image : seriesInstanceUid is not null ? DicomQueryLevel.Series : DicomQueryLevel.Study;
        if (sopInstanceUid is not null && seriesInstanceUid is null)
            throw new ArgumentException("An instance is retrieved with its series (Study Root: every key above the level).", nameof(seriesInstanceUid));
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.QueryRetrieveLevel, LevelName(level));
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, studyInstanceUid);
        if (seriesInstanceUid is not null)
            identifier.AddOrUpdate(DicomTags.SeriesInstanceUID, seriesInstanceUid);
        if (sopInstanceUid is not null)
            identifier.AddOrUpdate(DicomTags.SOPInstanceUID, sopInstanceUid);
        return identifier;
    }

    private static IEnumerable<DicomTag> ReturnKeys(DicomQueryLevel level) => level switch
    {
        DicomQueryLevel.Patient => [DicomTags.PatientID, DicomTags.PatientName, DicomTags.NumberOfPatientRelatedStudies],
        DicomQueryLevel.Study =>
        [
            DicomTags.StudyInstanceUID, DicomTags.PatientID, DicomTags.AccessionNumber, DicomTags.StudyDate, DicomTags.ModalitiesInStudy,
            DicomTags.StudyDescription, DicomTags.NumberOfStudyRelatedSeries, DicomTags.NumberOfStudyRelatedInstances,
        ],
        DicomQueryLevel.Series =>
        [
            DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.Modality, DicomTags.SeriesNumber, DicomTags.SeriesDescription,
            DicomTags.NumberOfSeriesRelatedInstances,
        ],
        _ => [DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.SOPInstanceUID, DicomTags.SOPClassUID, DicomTags.InstanceNumber],
    };
}

/// <summary>Where a retrieve stands, from a pending C-MOVE or C-GET response (PS3.4 C.4.2.1.6).</summary>
public sealed record DicomRetrieveProgress(int Remaining, int Completed, int Failed, int Warning);

/// <summary>
/// How a retrieve ended: the final status (success, warning when some sub-operations failed, cancelled 0xFE00, or a
/// failure), its sub-operation counts and the instances the peer could not send.
/// </summary>
public sealed record DicomRetrieveResult(DicomStatus Status, int Completed, int Failed, int Warning, IReadOnlyList<string> FailedInstanceUids, string? ErrorComment)
{
    public bool IsCancelled => Status.Code == 0xFE00;
}

/// <summary>The peer answered a C-FIND with a failure status (0xA700 out of resources, 0xA900 identifier does not match, 0xCxxx unable to process).</summary>
public sealed class DicomQueryException(string operation, DicomStatus status, string? comment)
    : DicomNetworkException($"{operation} failed with status {status}{(string.IsNullOrWhiteSpace(comment) ? "" : $": {comment}")}")
{
    public DicomStatus Status { get; } = status;
}
