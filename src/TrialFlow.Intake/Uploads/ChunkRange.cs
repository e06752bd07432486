namespace TrialFlow.Intake.Uploads;

/// <summary>
/// One chunk as its <c>Content-Range: bytes From-To/Total</c> header declares it. <see cref="To"/> is inclusive
/// (RFC 9110 14.4), so the chunk carries <see cref="Length"/> = To − From + 1 bytes of a file of <see cref="Total"/> bytes.
/// </summary>
public readonly record struct ChunkRange(long From, long To, long Total)
{
    public long Length => To - From + 1;

    /// <summary>Whether the range lies inside its file: 0 ≤ From ≤ To &lt; Total.</summary>
    public bool IsWithinFile => From >= 0 && To >= From && To < Total;

    public override string ToString() => $"bytes {From}-{To}/{Total}";
}
