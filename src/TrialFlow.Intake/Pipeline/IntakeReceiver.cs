using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
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

    // Names in the queue, so a name is queued once however many ways it arrives: the worker's start-up recovery lists
    // the staging folder while channels go on staging, and an object staged in that moment was found by both. Queued
    // twice, a poison object was tried twice at once and its attempts jumped past the retry delay.
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);

    /// <summary>Waits until a staged object is waiting for the pipeline; false once intake shuts down.</summary>
    public ValueTask<bool> WaitForPendingAsync(CancellationToken cancellationToken) => _queue.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes the next staged object waiting for the pipeline, if there is one.</summary>
    public bool TryTakePending([MaybeNullWhen(false)] out string stagingName)
    {
        if (!_queue.Reader.TryRead(out stagingName))
            return false;
        _queued.TryRemove(stagingName, out _);
        return true;
    }

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
        Enqueue(name);
        return name;
    }

    /// <summary>Queues an object again after a failed attempt, once <paramref name="delay"/> has passed.</summary>
    public void RetryLater(string stagingName, TimeSpan delay, TimeProvider time)
    {
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            Enqueue(stagingName);
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Queues what was staged before a restart but never settled, oldest first.</summary>
    public IReadOnlyList<string> Recover()
    {
        var pending = stores.Staging.List();
        foreach (var name in pending)
            Enqueue(name);
        return pending;
    }

    private void Enqueue(string stagingName)
    {
        // Unbounded: TryWrite cannot refuse.
        if (_queued.TryAdd(stagingName, 0))
            _queue.Writer.TryWrite(stagingName);
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
