using Microsoft.EntityFrameworkCore;

namespace TrialFlow.Core.Audit.Anchoring;

/// <summary>
/// What ties the audit chain to something outside the database: the key ring that keys its hashes and the checkpoint
/// log that records its head. One per data folder and process; the ring is read once, on first use, so appending an
/// event costs no file I/O.
/// </summary>
public sealed class AuditAnchor
{
    private readonly Lazy<AuditChainKeyRing> _keys;
    private long _lastCheckpointed;

    public AuditAnchor(AuditAnchorOptions options, string dataDirectory)
    {
        Options = options;
        DataDirectory = dataDirectory;
        _keys = new Lazy<AuditChainKeyRing>(() => AuditChainKeyRing.Load(options, dataDirectory));
        Checkpoints = new AuditCheckpointLog(dataDirectory, options.CheckpointDirectory);
    }

    public AuditAnchorOptions Options { get; }

    public string DataDirectory { get; }

    public AuditChainKeyRing Keys => _keys.Value;

    public AuditCheckpointLog Checkpoints { get; }

    /// <summary>
    /// Count trigger, called after a save committed events <paramref name="firstSequence"/>..<paramref name="head"/>:
    /// checkpoints the head when the save crossed a multiple of <see cref="AuditAnchorOptions.CheckpointEvery"/>.
    /// </summary>
    public void CheckpointIfDue(long firstSequence, long head, string headHash, TimeProvider time)
    {
        var every = Options.CheckpointEvery;
        if ((firstSequence - 1) / every != head / every)
            Write(head, headHash, time);
    }

    /// <summary>Time trigger: checkpoints the committed head when it moved since this process last checkpointed it.</summary>
    public async Task<AuditCheckpoint?> CheckpointHeadAsync(DbContext context, TimeProvider time, CancellationToken cancellationToken)
    {
        var head = await context.Set<AuditEvent>().AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        if (head is null || head.Sequence <= Interlocked.Read(ref _lastCheckpointed))
            return null;
        return Write(head.Sequence, head.Hash, time);
    }

    private AuditCheckpoint Write(long sequence, string hash, TimeProvider time)
    {
        var checkpoint = Checkpoints.Append(() => AuditCheckpoint.Sign(sequence, hash, time.GetUtcNow().UtcDateTime, Keys.Current));
        long seen;
        do
            seen = Interlocked.Read(ref _lastCheckpointed);
        while (sequence > seen && Interlocked.CompareExchange(ref _lastCheckpointed, sequence, seen) != seen);
        return checkpoint;
    }
}
