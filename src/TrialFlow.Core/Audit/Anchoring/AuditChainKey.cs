using System.Security.Cryptography;

namespace TrialFlow.Core.Audit.Anchoring;

/// <summary>
/// A secret that keys the audit chain's hashes and signs its checkpoints. Kept outside the database, so someone who
/// can rewrite the audit table still cannot produce hashes that verify.
/// </summary>
public sealed class AuditChainKey
{
    public const int Length = 32;

    public AuditChainKey(byte[] secret)
    {
        if (secret.Length != Length)
            throw new ArgumentException($"An audit chain key is {Length} bytes.", nameof(secret));
        Secret = secret;
        Id = IdOf(secret);
    }

    /// <summary>First 8 hex characters of the key's SHA-256: names the key in events and checkpoints without revealing it.</summary>
    public string Id { get; }

    internal byte[] Secret { get; }

    public static string IdOf(byte[] secret) => Convert.ToHexStringLower(SHA256.HashData(secret))[..8];
}
