using System.Threading.Channels;
using TrialFlow.Dicom.Network;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// The one door of intake. A channel hands over an object with what it knows about it; the door refuses what it
/// cannot take (too large, unreadable: <see cref="AdmissionCheck"/>) with a reason the channel passes on to the sender,
/// and records the refusal. Once <see cref="StageAsync"/> returns, the object is durably staged (encrypted) and the
/// channel may acknowledge it. Processing happens behind, in arrival order.
/// </summary>
public sealed class IntakeReceiver(IntakeStores stores, IntakeOptions options, IntakeRefusals? refusals = null)
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Staged objects waiting for the pipeline.</summary>
    public ChannelReader<string> Pending => _queue.Reader;

    /// <summary>Stages an object; throws <see cref="IntakeRejectedException"/>, having staged nothing, when it is refused.</summary>
    public async Task<string> StageAsync(StagedObject staged, Stream content, CancellationToken cancellationToken)
    {
        var refusal = staged.SizeBytes > options.MaxObjectBytes
            ? new IntakeRejectedException(DicomStatus.OutOfResources, $"the object is {staged.SizeBytes:N0} bytes; this site may send at most {options.MaxObjectBytes:N0} bytes per object")
            : AdmissionCheck.Inspect(content, cancellationToken);
        if (refusal is not null)
        {
            if (refusals is not null)
                await refusals.RecordAsync(staged, refusal, cancellationToken);
            throw refusal;
        }

        var name = await stores.Staging.WriteAsync(staged.ToBytes(), content, cancellationToken);
        await _queue.Writer.WriteAsync(name, cancellationToken);
        return name;
    }

    /// <summary>Queues an object again after a failed attempt, once <paramref name="delay"/> has passed.</summary>
    public void RetryLater(string stagingName, TimeSpan delay, TimeProvider time)
    {
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            _queue.Writer.TryWrite(stagingName);
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Queues what was staged before a restart but never settled, oldest first.</summary>
    public async Task<IReadOnlyList<string>> RecoverAsync(CancellationToken cancellationToken)
    {
        var pending = stores.Staging.List();
        foreach (var name in pending)
            await _queue.Writer.WriteAsync(name, cancellationToken);
        return pending;
    }
}

/// <summary>
/// An object refused at the door (too large, unreadable, not what it was sent as); nothing was staged. <see cref="Status"/>
/// is the PS3.4 Annex B status a DICOM sender gets; the message names the problem and where it is.
/// </summary>
public sealed class IntakeRejectedException(DicomStatus status, string message, string? sopClassUid = null, string? sopInstanceUid = null) : Exception(message)
{
    public DicomStatus Status { get; } = status;

    public string? SopClassUid { get; } = sopClassUid;

    public string? SopInstanceUid { get; } = sopInstanceUid;
}
