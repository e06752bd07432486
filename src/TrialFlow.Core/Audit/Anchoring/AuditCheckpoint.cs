using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TrialFlow.Core.Audit.Anchoring;

/// <summary>
/// A signed statement that the chain's head was event <see cref="Sequence"/> with hash <see cref="Hash"/> at
/// <see cref="At"/>. Kept outside the database: a chain shorter than a checkpoint lost events, a chain whose hash at
/// the checkpoint's sequence differs was rewritten.
/// </summary>
/// <param name="KeyId">The chain key that signed it.</param>
/// <param name="Signature">HMAC-SHA256 with that key over the other four fields.</param>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTime At, string KeyId, string Signature)
{
    public static AuditCheckpoint Sign(long sequence, string hash, DateTime at, AuditChainKey key)
    {
        at = AuditClock.Truncate(at);
        return new AuditCheckpoint(sequence, hash, at, key.Id, Compute(sequence, hash, at, key));
    }

    /// <summary>True when the ring holds the signing key and the signature matches every field.</summary>
    public bool IsSignedBy(AuditChainKeyRing ring) =>
        ring.TryGet(KeyId, out var key)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(Sequence, Hash, At, key)), Encoding.ASCII.GetBytes(Signature));

    public string Describe() => $"checkpoint of {At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC (#{Sequence}, key {KeyId})";

    public string ToJsonLine() => JsonSerializer.Serialize(new Line(Sequence, Hash, At.ToString("O", CultureInfo.InvariantCulture), KeyId, Signature), LineJson.Options);

    /// <summary>Reads one log line; null when it is not a checkpoint at all.</summary>
    public static AuditCheckpoint? TryParse(string json)
    {
        try
        {
            var line = JsonSerializer.Deserialize<Line>(json, LineJson.Options);
            if (line is not { Hash: not null, At: not null, KeyId: not null, Signature: not null })
                return null;
            var at = DateTime.Parse(line.At, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            return new AuditCheckpoint(line.Sequence, line.Hash, at, line.KeyId, line.Signature);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    private static string Compute(long sequence, string hash, DateTime at, AuditChainKey key)
    {
        var content = string.Create(CultureInfo.InvariantCulture, $"trialflow-audit-checkpoint\n{sequence}\n{hash}\n{at.Ticks}\n{key.Id}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(key.Secret, Encoding.UTF8.GetBytes(content)));
    }

    private sealed record Line(long Sequence, string? Hash, string? At, string? KeyId, string? Signature);

    private static class LineJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    }
}
