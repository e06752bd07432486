using System.Threading.Channels;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// The one door of intake. A channel hands over an object with what it knows about it; once
/// <see cref="StageAsync"/> returns, the object is durably staged (encrypted) and the channel may acknowledge it.
/// Processing happens behind, in arrival order.
/// </summary>
public sealed class IntakeReceiver(IntakeStores stores, IntakeOptions options)
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Staged objects waiting for the pipeline.</summary>
    public ChannelReader<string> Pending => _queue.Reader;

    public async Task<string> StageAsync(StagedObject staged, Stream content, CancellationToken cancellationToken)
    {
        if (staged.SizeBytes > options.MaxObjectBytes)
            throw new IntakeRejectedException($"the object is {staged.SizeBytes:N0} bytes; this site may send at most {options.MaxObjectBytes:N0} bytes per object");
        var name = await stores.Staging.WriteAsync(staged.ToBytes(), content, cancellationToken);
        await _queue.Writer.WriteAsync(name, cancellationToken);
        return name;
    }

    /// <summary>Queues what was staged before a restart but never settled, oldest first.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var pending = stores.Staging.List();
        foreach (var name in pending)
            await _queue.Writer.WriteAsync(name, cancellationToken);
        return pending.Count;
    }
}

/// <summary>An object refused at the door (too large, not allowed); nothing was staged.</summary>
public sealed class IntakeRejectedException(string message) : Exception(message);
