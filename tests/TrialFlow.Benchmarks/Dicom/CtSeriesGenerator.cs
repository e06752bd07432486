using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Benchmarks.Dicom;

/// <summary>Writes a synthetic CT series (512x512, 16-bit signed) with TrialFlow's writer, for the parsing and de-identification benchmarks.</summary>
internal static class CtSeriesGenerator
{
    /// <summary>
    /// Writes <paramref name="count"/> slices of one series of <paramref name="studyUid"/>; <paramref name="addHeader"/>
    /// adds to or replaces each slice's attributes before it is written.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, int count, string studyUid = "2.25.1000000000000000000000000000001", Action<DicomDataset>? addHeader = null)
    {
        Directory.CreateDirectory(directory);
        var rng = new Random(42);
        var pixels = new byte[512 * 512 * 2];
        rng.NextBytes(pixels);
        var series = studyUid + ".1";
        var paths = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var ds = Slice(studyUid, series, i, pixels);
            addHeader?.Invoke(ds);
            var path = Path.Combine(directory, $"CT{i + 1:D5}.dcm");
            DicomFileWriter.Write(ds, path);
            paths.Add(path);
        }
        return paths;
    }

    private static DicomDataset Slice(string study, string series, int i, byte[] pixels)
    {
        var ds = new DicomDataset
        {
            { DicomTags.SpecificCharacterSet, "ISO_IR 100" },
            { DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL" },
            { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
            { DicomTags.SOPInstanceUID, $"{series}.{i + 1}" },
            { DicomTags.StudyDate, "20260101" },
            { DicomTags.StudyTime, "101500" },
            { DicomTags.AccessionNumber, "ACC0001" },
            { DicomTags.Modality, "CT" },
            { DicomTags.Manufacturer, "TrialFlow Synthetic" },
            { DicomTags.InstitutionName, "Benchmark Hospital" },
            { DicomTags.ReferringPhysicianName, "Doe^Jane" },
            { DicomTags.StudyDescription, "CT CHEST ABDOMEN PELVIS" },
            { DicomTags.SeriesDescription, "AXIAL 1.0 B30f" },
            { DicomTags.PatientName, "Müller^Jürgen" },
            { DicomTags.PatientID, "SUBJ-0001" },
            { DicomTags.PatientBirthDate, "19600101" },
            { DicomTags.PatientSex, "M" },
            { DicomTags.SliceThickness, 1.0 },
            { DicomTags.KVP, 120.0 },
            { DicomTags.StudyInstanceUID, study },
            { DicomTags.SeriesInstanceUID, series },
            { DicomTags.StudyID, "1" },
            { DicomTags.SeriesNumber, 2 },
            { DicomTags.InstanceNumber, i + 1 },
            { DicomTags.ImagePositionPatient, -250.0, -250.0, -1.0 * i },
            { DicomTags.ImageOrientationPatient, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0 },
            { DicomTags.FrameOfReferenceUID, study + ".9" },
            { DicomTags.SliceLocation, -1.0 * i },
            { DicomTags.SamplesPerPixel, (ushort)1 },
            { DicomTags.PhotometricInterpretation, "MONOCHROME2" },
            { DicomTags.Rows, (ushort)512 },
            { DicomTags.Columns, (ushort)512 },
            { DicomTags.PixelSpacing, 0.9765625, 0.9765625 },
            { DicomTags.BitsAllocated, (ushort)16 },
            { DicomTags.BitsStored, (ushort)12 },
            { DicomTags.HighBit, (ushort)11 },
            { DicomTags.PixelRepresentation, (ushort)1 },
            { DicomTags.WindowCenter, 40.0 },
            { DicomTags.WindowWidth, 400.0 },
            { DicomTags.RescaleIntercept, -1024.0 },
            { DicomTags.RescaleSlope, 1.0 },
            { DicomTags.PixelData, DicomVR.OW, pixels },
        };
        ds.AddOrUpdate(DicomTags.ReferencedImageSequence, new DicomDataset
        {
            { DicomTags.ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
            { DicomTags.ReferencedSOPInstanceUID, $"{series}.{Math.Max(1, i)}" },
        });
        return ds;
    }
}
