using TrialFlow.Core.Audit.Anchoring;

namespace TrialFlow.Core.Audit;

/// <summary>The outcome of walking the audit chain.</summary>
/// <param name="EventsChecked">How many events were read before the walk ended.</param>
/// <param name="LastSequence">Sequence of the last event that verified.</param>
/// <param name="LastHash">Hash of the last event that verified (the chain head when intact).</param>
/// <param name="BrokenAt">Sequence of the first event that does not verify, or null when the chain is intact.</param>
/// <param name="Problem">What is wrong at <paramref name="BrokenAt"/>.</param>
public sealed record AuditVerification(long EventsChecked, long LastSequence, string LastHash, long? BrokenAt, string? Problem)
{
    public bool IsIntact => BrokenAt is null;

    /// <summary>The latest validly signed checkpoint the chain was held against; null when there is none yet.</summary>
    public AuditCheckpoint? Checkpoint { get; init; }

    /// <summary>Checkpoint lines that were not used: unreadable, or not signed by a key of the ring (forged).</summary>
    public IReadOnlyList<string> IgnoredCheckpoints { get; init; } = [];

    public override string ToString()
    {
        var result = IsIntact
            ? $"audit chain intact: {EventsChecked} events, head #{LastSequence} {LastHash}"
            : $"audit chain BROKEN at event #{BrokenAt}: {Problem} ({Math.Max(LastSequence, 0)} events before it verified)";
        result += Checkpoint is null ? "; no checkpoint to hold it against yet" : $"; verified against the {Checkpoint.Describe()}";
        foreach (var ignored in IgnoredCheckpoints)
            result += $"{Environment.NewLine}ignored checkpoint {ignored}";
        return result;
    }
}
