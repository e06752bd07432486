using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Writing;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Web.Demo;

/// <summary>
/// Archives phantom CT images for the demo's studies in review, so a reader trying the demo has something to scroll
/// and measure: the first subject's tumours shrink over the visits, the second's grow, the third's stay. The images are
/// written as de-identified objects (patient identity removed, subject key as patient id) straight into the archive
/// and index: they are synthetic and never held PHI, so they do not go through intake.
/// </summary>
public sealed class DemoImages(IntakeStores stores, TimeProvider time)
{
    private const int Slices = 48;
    private const double SliceMm = 5;
    private static readonly double[] GrowthBy12Weeks = [-0.4, 0.3, -0.05];

    public async Task<int> AddAsync(TrialFlowDbContext db, IReadOnlyCollection<Guid> studyIds, CancellationToken cancellationToken)
    {
        var studies = await db.Studies.Include(s => s.Series).ThenInclude(s => s.Instances)
            .Where(s => studyIds.Contains(s.Id)).ToListAsync(cancellationToken);
        var subjects = await db.Subjects.IgnoreQueryFilters().Where(s => studies.Select(t => t.SubjectId).Contains(s.Id))
            .OrderBy(s => s.SubjectKey).Select(s => new { s.Id, s.SubjectKey }).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var images = 0;
        using var batch = stores.Archive.BeginBatch(); // one flush for the lot, not one per image
        foreach (var study in studies.Where(s => s.NumberOfInstances == 0))
        {
            var subject = subjects.FindIndex(s => s.Id == study.SubjectId);
            var lesions = Lesions(subject, study.StudyDay ?? 0);
            var header = new StudyHeader(subjects[subject].SubjectKey, study.StudyInstanceUid, study.StudyDate ?? DateOnly.FromDateTime(now), study.Description ?? "");
            foreach (var series in study.Series.Where(s => s.Instances.Count == 0))
            {
                // The scout is one slice through the liver; the venous series covers chest and upper abdomen.
                var positions = series.SeriesNumber == 1 ? [-150.0] : Enumerable.Range(0, Slices).Select(i => -i * SliceMm).ToArray();
                for (var i = 0; i < positions.Length; i++)
                {
                    var bytes = Image(header, series, i + 1, positions[i], DemoPhantom.Slice(positions[i], lesions, seed: i));
                    var hash = await batch.AddAsync(bytes, cancellationToken);
                    series.AddInstance($"{series.SeriesInstanceUid}.{i + 1}", "1.2.840.10008.5.1.4.1.1.2", i + 1, hash, bytes.Length, now);
                    images++;
                }
            }
            study.Recount();
        }
        batch.Commit(); // durable in the archive before the index points at them
        await db.SaveChangesAsync("demo phantom images", cancellationToken);
        return images;
    }

    /// <summary>A liver tumour and a lung nodule, scaled by the subject's course over the days since baseline.</summary>
    private static DemoLesion[] Lesions(int subject, int studyDay)
    {
        var factor = 1 + GrowthBy12Weeks[subject % GrowthBy12Weeks.Length] * Math.Min(1, studyDay / 84.0);
        return [new DemoLesion(-60, 20, -160, 30 * factor, 10), new DemoLesion(70, -20, -70, 16 * factor, 40)];
    }

    private sealed record StudyHeader(string SubjectKey, string StudyInstanceUid, DateOnly StudyDate, string Description);

    private static byte[] Image(StudyHeader study, ImagingSeries series, int number, double z, ushort[] pixels)
    {
        var text = (double value) => value.ToString(CultureInfo.InvariantCulture);
        var half = DemoPhantom.Size * DemoPhantom.PixelMm / 2;
        var dataset = new DicomDataset
        {
            { DicomTags.SpecificCharacterSet, "ISO_IR 100" },
            { DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL" },
            { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
            { DicomTags.SOPInstanceUID, $"{series.SeriesInstanceUid}.{number}" },
            { DicomTags.StudyDate, study.StudyDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture) },
            { DicomTags.Modality, "CT" },
            { DicomTags.Manufacturer, "TrialFlow demo phantom" },
            { DicomTags.StudyDescription, study.Description },
            { DicomTags.SeriesDescription, series.Description ?? "" },
            { DicomTags.PatientName, study.SubjectKey },
            { DicomTags.PatientID, study.SubjectKey },
            { DicomTags.PatientIdentityRemoved, "YES" },
            { DicomTags.DeidentificationMethod, "Synthetic phantom: never identified" },
            { DicomTags.SliceThickness, text(SliceMm) },
            { DicomTags.KVP, "120" },
            { DicomTags.StudyInstanceUID, study.StudyInstanceUid },
            { DicomTags.SeriesInstanceUID, series.SeriesInstanceUid },
            { DicomTags.SeriesNumber, (series.SeriesNumber ?? 1).ToString(CultureInfo.InvariantCulture) },
            { DicomTags.InstanceNumber, number.ToString(CultureInfo.InvariantCulture) },
            { DicomTags.ImagePositionPatient, text(-half), text(-half), text(z) },
            { DicomTags.ImageOrientationPatient, "1", "0", "0", "0", "1", "0" },
            { DicomTags.SamplesPerPixel, (ushort)1 },
            { DicomTags.PhotometricInterpretation, "MONOCHROME2" },
            { DicomTags.Rows, (ushort)DemoPhantom.Size },
            { DicomTags.Columns, (ushort)DemoPhantom.Size },
            { DicomTags.PixelSpacing, text(DemoPhantom.PixelMm), text(DemoPhantom.PixelMm) },
            { DicomTags.BitsAllocated, (ushort)16 },
            { DicomTags.BitsStored, (ushort)12 },
            { DicomTags.HighBit, (ushort)11 },
            { DicomTags.PixelRepresentation, (ushort)0 },
            { DicomTags.WindowCenter, "40" },
            { DicomTags.WindowWidth, "400" },
            { DicomTags.RescaleIntercept, "-1024" },
            { DicomTags.RescaleSlope, "1" },
        };
        var bytes = new byte[pixels.Length * 2];
        Buffer.BlockCopy(pixels, 0, bytes, 0, bytes.Length); // little endian on every platform .NET runs TrialFlow on
        dataset.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW, bytes));
        using var stream = new MemoryStream();
        DicomFileWriter.Write(dataset, stream);
        return stream.ToArray();
    }
}
