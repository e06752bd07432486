using System.Security.Cryptography;
using System.Text;

namespace TrialFlow.Retrieval.Jobs;

/// <summary>
/// Seals the site's identifiers a pull must remember between planning and retrieval (the source Study Instance UID) with
/// AES-GCM under a key derived from intake's staging key, so they are as protected at rest as the staged objects are.
/// </summary>
public sealed class IdentifierSeal(byte[] stagingKey)
{
    private readonly byte[] _key = HMACSHA256.HashData(stagingKey, "retrieval-identifiers"u8);

    public byte[] Seal(string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBytes = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length));
        return sealedBytes;
    }

    /// <exception cref="CryptographicException">Sealed under another key, or altered.</exception>
    public string Open(byte[] sealedBytes)
    {
        if (sealedBytes.Length < 28)
            throw new CryptographicException("a sealed identifier is at least 28 bytes");
        var plain = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
