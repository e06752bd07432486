using TrialFlow.Dicom.Network;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Intake.Channels;

/// <summary>
/// Collects one instance's dataset bytes from a C-STORE (pushed by a site, delivered by a C-MOVE, or sent back on a
/// C-GET), then stages them behind a Part 10 header before the store is acknowledged. A refusal at intake's door answers
/// the sender with its status and Error Comment: nothing was stored.
/// </summary>
public sealed class Part10StagingSink(DicomStoreRequest request, Func<Stream, CancellationToken, Task> stage) : IDicomStoreSink
{
    private readonly MemoryStream _bytes = new();

    public ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetBytes, CancellationToken cancellationToken) => _bytes.WriteAsync(dataSetBytes, cancellationToken);

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        var header = DicomPart10.CreateFileMetaInformation(request.SopClassUid, request.SopInstanceUid, request.TransferSyntax.Uid, request.CallingAeTitle);
        using var file = new MemoryStream(header.Length + (int)_bytes.Length);
        file.Write(header);
        _bytes.Position = 0;
        await _bytes.CopyToAsync(file, cancellationToken);
        file.Position = 0;
        try
        {
            await stage(file, cancellationToken);
        }
        catch (IntakeRejectedException e)
        {
            throw new DicomStoreException(e.Status, e.Message);
        }
    }

    public ValueTask DisposeAsync() => _bytes.DisposeAsync();
}
