namespace TrialFlow.Web.Viewer;

/// <summary>
/// What the image viewer needs to show one study without parsing DICOM in the browser: per series the pixel geometry,
/// how to turn stored values into grey levels, and the URL of every frame in display order.
/// </summary>
public sealed record ViewerStudy(string Label, string StudyInstanceUid, IReadOnlyList<ViewerSeries> Series);

/// <param name="PixelSpacing">Row spacing then column spacing in mm (PS3.3 10.7.1.3); null when the images do not say.</param>
/// <param name="Planar">Colour frames arrive plane by plane (R…, G…, B…) rather than pixel by pixel.</param>
/// <param name="Displayable">
/// False when neither the server (native, RLE Lossless) nor the browser can decode the frames (other compressed
/// transfer syntaxes): the viewer says so instead of drawing noise.
/// </param>
public sealed record ViewerSeries(
    string SeriesInstanceUid,
    string Description,
    string Modality,
    int Rows,
    int Columns,
    double[]? PixelSpacing,
    int BitsAllocated,
    bool Signed,
    int SamplesPerPixel,
    string Photometric,
    double RescaleSlope,
    double RescaleIntercept,
    double WindowCenter,
    double WindowWidth,
    string TransferSyntaxUid,
    bool Planar,
    bool Displayable,
    IReadOnlyList<ViewerFrame> Frames);

/// <summary>One frame: where to fetch it (frames as uncompressed octet-stream) and which instance it belongs to.</summary>
public sealed record ViewerFrame(string Url, string SopInstanceUid, int Frame);

/// <summary>A length the reader measured, handed to the form.</summary>
public sealed record ViewerMeasurement(double LengthMm, string SeriesInstanceUid, string SopInstanceUid, int Frame);
