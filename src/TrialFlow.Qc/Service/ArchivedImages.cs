using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Reading;

namespace TrialFlow.Qc.Service;

/// <summary>
/// Reads the headers of archived (de-identified) images. The host supplies how to open an object by its SHA-256, so
/// QC does not depend on intake's archive layout.
/// </summary>
public sealed class ArchivedImages(Func<string, Stream> openRead)
{
    public async Task<DicomDataset> ReadHeaderAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var stream = openRead(sha256);
        return (await DicomFileReader.ReadAsync(stream, DicomReadOptions.HeaderOnlyOptions, cancellationToken)).Dataset;
    }
}
