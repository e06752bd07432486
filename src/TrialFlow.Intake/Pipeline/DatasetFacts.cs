using TrialFlow.Dicom;

namespace TrialFlow.Intake.Pipeline;

/// <summary>The few header values intake itself reads, tolerant of absent or malformed values.</summary>
internal static class DatasetFacts
{
    public static DateOnly? StudyDate(DicomDataset dataset) =>
        dataset.TryGet<DateOnly>(DicomTags.StudyDate, out var date) ? date : null;
}
