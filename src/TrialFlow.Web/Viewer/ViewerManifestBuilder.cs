using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.Pixels;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Web.Viewer;

/// <summary>
/// Builds a <see cref="ViewerStudy"/> from the index and the archived (de-identified) headers. Frames are ordered along
/// the slice normal when the images carry their position and orientation, else by instance number. The caller decides
/// the frame URLs, so the same manifest serves trial staff (DICOMweb) and readers (through their read task).
/// </summary>
public sealed class ViewerManifestBuilder(IntakeStores stores)
{
    public delegate string FrameUrl(ImagingStudy study, ImagingSeries series, ImagingInstance instance, int frame);

    /// <summary>The study as the caller's context sees it (site scoping applies); null when it does not exist for them.</summary>
    public async Task<ViewerStudy?> BuildAsync(TrialFlowDbContext db, Guid studyId, string label, FrameUrl frameUrl, CancellationToken cancellationToken)
    {
        var study = await db.Studies.AsNoTracking().Include(s => s.Series).ThenInclude(s => s.Instances)
            .SingleOrDefaultAsync(s => s.Id == studyId, cancellationToken);
        if (study is null)
            return null;
        var series = new List<ViewerSeries>();
        foreach (var s in study.Series.OrderBy(s => s.SeriesNumber ?? int.MaxValue).ThenBy(s => s.SeriesInstanceUid, StringComparer.Ordinal))
            if (await SeriesAsync(study, s, frameUrl, cancellationToken) is { } built)
                series.Add(built);
        return new ViewerStudy(label, study.StudyInstanceUid, series);
    }

    private async Task<ViewerSeries?> SeriesAsync(ImagingStudy study, ImagingSeries series, FrameUrl frameUrl, CancellationToken cancellationToken)
    {
        // Header-only reads from the archive path stop before Pixel Data; on a 300-slice series reading whole files (or
        // one at a time) is what made the first image wait.
        var instances = series.Instances.ToList();
        var headers = new DicomFile[instances.Count];
        await Parallel.ForAsync(0, instances.Count, cancellationToken, (i, _) =>
        {
            headers[i] = DicomFileReader.Read(stores.Archive.PathOf(instances[i].ArchiveSha256), DicomReadOptions.HeaderOnlyOptions, cancellationToken);
            return ValueTask.CompletedTask;
        });
        var slices = instances.Select((instance, i) => (Instance: instance, Header: headers[i].Dataset, Syntax: headers[i].TransferSyntax))
            .Where(s => s.Header.Contains(DicomTags.Rows)).ToList();
        if (slices.Count == 0)
            return null; // no images (a report, a presentation state): nothing to show
        slices.Sort((a, b) => SliceOrder.Compare(a.Header, a.Instance, b.Header, b.Instance));

        var (first, syntax) = (slices[0].Header, slices[0].Syntax);
        var pixels = DicomPixelInfo.FromDataset(first);
        var slope = Number(first, DicomTags.RescaleSlope) ?? 1;
        var intercept = Number(first, DicomTags.RescaleIntercept) ?? 0;
        var (center, width) = DefaultWindow(first, pixels, slope, intercept);
        var frames = slices.SelectMany(s => Enumerable.Range(1, DicomPixelData.GetFrameCount(s.Header))
            .Select(f => new ViewerFrame(frameUrl(study, series, s.Instance, f), s.Instance.SopInstanceUid, f))).ToList();
        var spacing = first.GetStrings(DicomTags.PixelSpacing).Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN).ToArray();
        return new ViewerSeries(
            series.SeriesInstanceUid, series.Description ?? "", series.Modality, pixels.Rows, pixels.Columns,
            spacing is [> 0, > 0] ? spacing : null, pixels.BitsAllocated, pixels.IsSigned, pixels.SamplesPerPixel, pixels.PhotometricInterpretation,
            slope, intercept, center, width, syntax.Uid,
            // The frame routes send RLE decoded, and decoded RLE is pixel-interleaved whatever the header says.
            Planar: pixels.PlanarConfiguration == 1 && !syntax.IsEncapsulated,
            Displayable: DicomPixelData.CanDecode(syntax) && syntax.IsLittleEndian && pixels.BitsAllocated is 8 or 16 && (pixels.SamplesPerPixel == 1 || pixels.PhotometricInterpretation == "RGB"),
            frames);
    }

    /// <summary>The first window the images suggest, else one spanning the stored range (PS3.3 C.11.2.1.2).</summary>
    private static (double Center, double Width) DefaultWindow(DicomDataset header, DicomPixelInfo pixels, double slope, double intercept)
    {
        if (Number(header, DicomTags.WindowCenter) is { } center && Number(header, DicomTags.WindowWidth) is { } width and > 0)
            return (center, width);
        var (low, high) = pixels.IsSigned ? (-(1 << (pixels.BitsStored - 1)), (1 << (pixels.BitsStored - 1)) - 1) : (0, (1 << pixels.BitsStored) - 1);
        var (a, b) = (low * slope + intercept, high * slope + intercept);
        return ((a + b) / 2, Math.Max(1, Math.Abs(b - a)));
    }

    private static double? Number(DicomDataset header, DicomTag tag) =>
        header.GetStrings(tag).FirstOrDefault() is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
