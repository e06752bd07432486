namespace TrialFlow.Core.Audit.Anchoring;

/// <summary>The checkpoints a verification holds the chain against: the validly signed ones, and what was ignored and why.</summary>
internal sealed class AuditCheckpointSet
{
    public static readonly AuditCheckpointSet Empty = new([], []);

    private readonly Dictionary<long, List<AuditCheckpoint>> _bySequence;

    private AuditCheckpointSet(IReadOnlyList<AuditCheckpoint> valid, IReadOnlyList<string> ignored)
    {
        _bySequence = valid.GroupBy(c => c.Sequence).ToDictionary(g => g.Key, g => g.ToList());
        Latest = valid.MaxBy(c => (c.Sequence, c.At));
        Ignored = ignored;
    }

    /// <summary>The validly signed checkpoint with the highest sequence.</summary>
    public AuditCheckpoint? Latest { get; }

    public IReadOnlyList<string> Ignored { get; }

    /// <summary>
    /// Checkpoints up to <paramref name="upToSequence"/> made at or before <paramref name="madeBy"/> (all when null) from
    /// every log of the anchor: a report for a cut-off is held against what existed then, not what was written since.
    /// </summary>
    public static AuditCheckpointSet Read(AuditAnchor anchor, long? upToSequence, DateTime? madeBy = null)
    {
        var lines = anchor.Checkpoints.ReadAll();
        if (lines.Count == 0)
            return Empty;
        var valid = new List<AuditCheckpoint>();
        var ignored = new List<string>();
        foreach (var (source, checkpoint) in lines)
        {
            if (checkpoint is null)
                ignored.Add($"{source}: not a checkpoint line");
            else if (!checkpoint.IsSignedBy(anchor.Keys))
                ignored.Add($"{source}: signature does not verify with key {checkpoint.KeyId} (#{checkpoint.Sequence}); forged or made with a key not in the ring");
            else if (checkpoint.Sequence <= (upToSequence ?? long.MaxValue) && checkpoint.At <= (madeBy ?? DateTime.MaxValue))
                valid.Add(checkpoint);
        }

        return new AuditCheckpointSet(valid.Distinct().ToList(), ignored);
    }

    public bool Vouches(long sequence) => _bySequence.ContainsKey(sequence);

    /// <summary>A checkpoint at <paramref name="sequence"/> that recorded another hash than the chain holds now.</summary>
    public AuditCheckpoint? Disagreeing(long sequence, string hash) =>
        _bySequence.TryGetValue(sequence, out var at) ? at.FirstOrDefault(c => !string.Equals(c.Hash, hash, StringComparison.Ordinal)) : null;
}
