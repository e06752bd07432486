using System.Globalization;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Testing;

/// <summary>
/// A contrast-enhanced CT study as a site sends it (identified, Part 10): a localizer and a portal venous series on a
/// scanner qualified at site 101. Every acquisition value QC checks can be set to violate the demo protocol.
/// </summary>
public sealed record CtStudy(string StudyUid, string PatientId = "101-001", string StudyDate = "20260416")
{
    public double SliceThickness { get; init; } = 1.25;

    /// <summary>Acquisition Time of the venous series; injection starts at 10:15:00, so 10:16:10 is a 70 s delay.</summary>
    public string VenousAcquisitionTime { get; init; } = "101610";

    public int VenousImages { get; init; } = 3;

    /// <summary>
    /// Series Description of each contrast-enhanced series, numbered from 2; each has <see cref="VenousImages"/> images
    /// acquired at <see cref="VenousAcquisitionTime"/>.
    /// </summary>
    public IReadOnlyList<string> EnhancedSeries { get; init; } = ["PORTAL VENOUS AXIAL"];

    public IEnumerable<byte[]> Files()
    {
        yield return Image(1, 1, "TOPOGRAM", ["ORIGINAL", "PRIMARY", "LOCALIZER"], thickness: 10, acquisitionTime: "101400", z: 0, contrast: false);
        for (var s = 0; s < EnhancedSeries.Count; s++)
            for (var i = 1; i <= VenousImages; i++)
                yield return Image(2 + s, i, EnhancedSeries[s], ["ORIGINAL", "PRIMARY", "AXIAL"], SliceThickness, VenousAcquisitionTime, z: -200 * (i - 1), contrast: true);
    }

    private byte[] Image(int series, int instance, string description, string[] imageType, double thickness, string acquisitionTime, double z, bool contrast)
    {
        const ushort size = 512;
        var dataset = new DicomDataset
        {
            { DicomTags.SpecificCharacterSet, "ISO_IR 100" },
            { DicomTags.ImageType, imageType },
            { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
            { DicomTags.SOPInstanceUID, $"{StudyUid}.{series}.{instance}" },
            { DicomTags.StudyDate, StudyDate },
            { DicomTags.StudyTime, "101000" },
            { DicomTags.AcquisitionTime, acquisitionTime },
            { DicomTags.Modality, "CT" },
            { DicomTags.Manufacturer, "SIEMENS" },
            { DicomTags.ManufacturerModelName, "SOMATOM Force" },
            { DicomTags.StudyDescription, "CT CHEST ABDOMEN PELVIS" },
            { DicomTags.SeriesDescription, description },
            { DicomTags.PatientName, "Doe^Jane" },
            { DicomTags.PatientID, PatientId },
            { DicomTags.BodyPartExamined, "CHEST" },
            { DicomTags.SliceThickness, thickness.ToString(CultureInfo.InvariantCulture) },
            { DicomTags.KVP, "120" },
            { DicomTags.StudyInstanceUID, StudyUid },
            { DicomTags.SeriesInstanceUID, $"{StudyUid}.{series}" },
            { DicomTags.SeriesNumber, series.ToString(CultureInfo.InvariantCulture) },
            { DicomTags.InstanceNumber, instance.ToString(CultureInfo.InvariantCulture) },
            { DicomTags.ImagePositionPatient, "-250", "-250", z.ToString(CultureInfo.InvariantCulture) },
            { DicomTags.SamplesPerPixel, (ushort)1 },
            { DicomTags.PhotometricInterpretation, "MONOCHROME2" },
            { DicomTags.Rows, size },
            { DicomTags.Columns, size },
            { DicomTags.PixelSpacing, "0.7", "0.7" },
            { DicomTags.BitsAllocated, (ushort)16 },
            { DicomTags.BitsStored, (ushort)12 },
            { DicomTags.HighBit, (ushort)11 },
            { DicomTags.PixelRepresentation, (ushort)0 },
        };
        if (contrast)
        {
            dataset.Add(DicomTags.ContrastBolusAgent, "IV CONTRAST");
            dataset.Add(DicomTags.ContrastBolusStartTime, "101500");
        }
        dataset.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW, new byte[size * size * 2]));
        using var stream = new MemoryStream();
        DicomFileWriter.Write(dataset, stream);
        return stream.ToArray();
    }
}
