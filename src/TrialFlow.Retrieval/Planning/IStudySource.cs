using TrialFlow.Dicom;
using TrialFlow.Retrieval.Cohorts;

namespace TrialFlow.Retrieval.Planning;

/// <summary>A site's PACS as a retrospective pull queries it: by DIMSE (C-FIND) or by DICOMweb (QIDO-RS).</summary>
public interface IStudySource
{
    /// <summary>The studies the PACS holds for <paramref name="entry"/>, matched by its key, date range and modality.</summary>
    Task<IReadOnlyList<PlannedStudy>> FindStudiesAsync(CohortEntry entry, CancellationToken cancellationToken);
}

internal static class StudyAnswers
{
    /// <summary>A study-level match as either protocol returns it.</summary>
    public static PlannedStudy Read(DicomDataset match) => new(
        match.GetString(DicomTags.StudyInstanceUID) ?? "",
        DateOnly.TryParseExact(match.GetString(DicomTags.StudyDate) ?? "", "yyyyMMdd", out var date) ? date : null,
        match.GetStrings(DicomTags.ModalitiesInStudy),
        int.TryParse(match.GetString(DicomTags.NumberOfStudyRelatedSeries), out var series) ? series : null,
        int.TryParse(match.GetString(DicomTags.NumberOfStudyRelatedInstances), out var instances) ? instances : null,
        match.GetString(DicomTags.StudyDescription));

    /// <summary>The DICOM date range of the entry (PS3.4 C.2.2.2.5), or null for any date.</summary>
    public static string? DateRange(CohortEntry entry) => (entry.StudyDateFrom, entry.StudyDateTo) switch
    {
        (null, null) => null,
        var (from, to) => $"{from:yyyyMMdd}-{to:yyyyMMdd}",
    };

    /// <summary>
    /// Whether a returned study meets the entry's date range and modality: checked again here because not every PACS
    /// applies range or ModalitiesInStudy matching (some ignore them and return every study of the patient).
    /// </summary>
    public static bool Meets(PlannedStudy study, CohortEntry entry) =>
        (entry.StudyDateFrom is not { } from || study.StudyDate >= from)
        && (entry.StudyDateTo is not { } to || study.StudyDate <= to)
        && (entry.Modality is not { } modality || study.Modalities.Count == 0 || study.Modalities.Contains(modality, StringComparer.OrdinalIgnoreCase));
}
