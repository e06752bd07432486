namespace TrialFlow.Dicom.Network;

/// <summary>
/// A store handler that writes each received instance as a Part 10 file named after its SOP Instance UID in one folder.
/// The file is written under a temporary name, flushed to disk and renamed on commit, so an acknowledged instance is
/// durable and a half-received one never appears. A later instance with the same UID replaces the earlier one.
/// Useful for tests and simple deployments; the intake host brings its own handler (encrypted staging).
/// </summary>
public sealed class DicomFileStoreHandler(string directory) : IDicomStoreHandler
{
    public string Directory { get; } = directory;

    public async ValueTask<IDicomStoreSink> BeginStoreAsync(DicomStoreRequest request, CancellationToken cancellationToken)
    {
        if (!IsSafeFileName(request.SopInstanceUid))
            throw new DicomStoreException(DicomStatus.CannotUnderstand, "SOP Instance UID is not a valid UID");
        System.IO.Directory.CreateDirectory(Directory);
        var final = Path.Combine(Directory, request.SopInstanceUid + ".dcm");
        var temp = Path.Combine(Directory, $".{request.AssociationId:N}.{request.MessageId}.partial");
        var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var meta = DicomPart10.CreateFileMetaInformation(request.SopClassUid, request.SopInstanceUid, request.TransferSyntax.Uid, request.CallingAeTitle);
        await stream.WriteAsync(meta, cancellationToken).ConfigureAwait(false);
        return new Sink(stream, temp, final);
    }

    private static bool IsSafeFileName(string uid) => uid.Length is > 0 and <= 64 && uid.All(c => c is '.' || char.IsAsciiDigit(c));

    private sealed class Sink(FileStream stream, string temp, string final) : IDicomStoreSink
    {
        private bool _committed;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetBytes, CancellationToken cancellationToken) =>
            stream.WriteAsync(dataSetBytes, cancellationToken);

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync().ConfigureAwait(false);
            File.Move(temp, final, overwrite: true);
            _committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (!_committed) File.Delete(temp);
        }
    }
}
