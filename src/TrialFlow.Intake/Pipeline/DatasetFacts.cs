using TrialFlow.Core.Trials;
using TrialFlow.Dicom;

namespace TrialFlow.Intake.Pipeline;

/// <summary>The few header values intake itself reads, tolerant of absent or malformed values.</summary>
internal static class DatasetFacts
{
    public static DateOnly? StudyDate(DicomDataset dataset) =>
        dataset.TryGet<DateOnly>(DicomTags.StudyDate, out var date) ? date : null;

    /// <summary>The scanner the (identified) object names; read before de-identification removes station and serial number.</summary>
    public static ScannerIdentity Scanner(DicomDataset dataset) => new(
        Text(dataset, DicomTags.Modality) ?? "",
        Text(dataset, DicomTags.Manufacturer),
        Text(dataset, DicomTags.ManufacturerModelName),
        Text(dataset, DicomTags.StationName),
        Text(dataset, DicomTags.DeviceSerialNumber),
        dataset.GetStrings(DicomTags.SoftwareVersions).Select(v => v.Trim()).Where(v => v.Length > 0).ToArray() is { Length: > 0 } versions ? string.Join('\\', versions) : null);

    /// <summary>Whether the object is an image (has pixel data): only images come from a scanner that must be qualified.</summary>
    public static bool IsImage(DicomDataset dataset) => dataset.Contains(DicomTags.PixelData);

    public static string? Text(DicomDataset dataset, DicomTag tag) => dataset.GetString(tag)?.Trim('\0', ' ') is { Length: > 0 } text ? text : null;
}
