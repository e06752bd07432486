using System.Globalization;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Testing;

/// <summary>DICOM objects as sites send them: identified, with canary values that must never survive de-identification.</summary>
public static class DicomSamples
{
    /// <summary>A CT image (<paramref name="size"/>², 12-bit; 8×8 by default) with the subject id as Patient ID, as a Part 10 file.</summary>
    /// <summary>For <c>scanner</c>: an image that names no scanner (no Manufacturer, no model).</summary>
    public static readonly (string Manufacturer, string Model, string? Serial, string? Software) NoScanner = ("", "", null, null);

    /// <param name="scanner">
    /// Manufacturer, model, device serial number and software versions; by default the SIEMENS SOMATOM Force the demo's
    /// site 101 has qualified, <see cref="NoScanner"/> for an image that names none.
    /// </param>
    public static byte[] CtImage(string patientId = "101-001", string studyDate = "20260416", string study = "1.2.826.0.1.3680043.2.1", int instance = 1, ushort fill = 100, ushort size = 8,
        (string Manufacturer, string Model, string? Serial, string? Software)? scanner = null)
    {
        var pixels = new byte[size * size * 2];
        for (var i = 0; i < pixels.Length; i += 2)
            pixels[i] = (byte)fill;
        var dataset = new DicomDataset
        {
            { DicomTags.SpecificCharacterSet, "ISO_IR 100" },
            { DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL" },
            { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
            { DicomTags.SOPInstanceUID, $"{study}.1.{instance}" },
            { DicomTags.StudyDate, studyDate },
            { DicomTags.StudyTime, "101500" },
            { DicomTags.AccessionNumber, "ACC-CANARY-55" },
            { DicomTags.Modality, "CT" },
            { DicomTags.InstitutionName, "Nordstadt Canary Hospital" },
            { DicomTags.ReferringPhysicianName, "Referrer^Canary" },
            { DicomTags.StudyDescription, "CT CHEST ABDOMEN PELVIS" },
            { DicomTags.SeriesDescription, "PORTAL VENOUS" },
            { DicomTags.PatientName, "Doe^Jane Canary" },
            { DicomTags.PatientID, patientId },
            { DicomTags.PatientBirthDate, "19610203" },
            { DicomTags.PatientSex, "F" },
            { DicomTags.SliceThickness, "1.25" },
            { DicomTags.StudyInstanceUID, study },
            { DicomTags.SeriesInstanceUID, $"{study}.1" },
            { DicomTags.StudyID, "S-CANARY" },
            { DicomTags.SeriesNumber, "2" },
            { DicomTags.InstanceNumber, instance.ToString(CultureInfo.InvariantCulture) },
            { DicomTags.SamplesPerPixel, (ushort)1 },
            { DicomTags.PhotometricInterpretation, "MONOCHROME2" },
            { DicomTags.Rows, size },
            { DicomTags.Columns, size },
            { DicomTags.BitsAllocated, (ushort)16 },
            { DicomTags.BitsStored, (ushort)12 },
            { DicomTags.HighBit, (ushort)11 },
            { DicomTags.PixelRepresentation, (ushort)0 },
        };
        dataset.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW, pixels));
        if ((scanner ?? ("SIEMENS", "SOMATOM Force", null, null)) is { Manufacturer.Length: > 0 } s)
        {
            dataset.Add(DicomTags.Manufacturer, s.Manufacturer);
            dataset.Add(DicomTags.ManufacturerModelName, s.Model);
            if (s.Serial is not null)
                dataset.Add(DicomTags.DeviceSerialNumber, s.Serial);
            if (s.Software is not null)
                dataset.Add(DicomTags.SoftwareVersions, s.Software);
        }
        using var stream = new MemoryStream();
        DicomFileWriter.Write(dataset, stream);
        return stream.ToArray();
    }
}
