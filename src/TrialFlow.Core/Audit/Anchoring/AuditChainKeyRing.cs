using System.Security.Cryptography;

namespace TrialFlow.Core.Audit.Anchoring;

/// <summary>
/// Every key the chain was ever hashed with, newest last. New events and checkpoints use <see cref="Current"/>; old
/// events keep naming the key that hashed them, so a rotated-out key must stay in the ring for them to verify.
/// </summary>
/// <remarks>
/// The ring file (<c>keys/audit-chain.keyring</c> in the data folder, one base64 key per line, readable only by the
/// service account) is created with one key on first use and grows by one line per rotation. A key configured as
/// <c>TrialFlow:Audit:ChainKey</c> (with retired ones in <c>TrialFlow:Audit:RetiredChainKeys</c>) takes precedence,
/// for operators who keep keys in a secret store instead of on the host.
/// </remarks>
public sealed class AuditChainKeyRing
{
    public const string FileName = "audit-chain.keyring";

    private readonly Dictionary<string, AuditChainKey> _byId;

    private AuditChainKeyRing(IReadOnlyList<AuditChainKey> keys)
    {
        Keys = keys;
        _byId = keys.GroupBy(k => k.Id).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
    }

    /// <summary>All keys, oldest first.</summary>
    public IReadOnlyList<AuditChainKey> Keys { get; }

    /// <summary>The key new events and checkpoints are made with.</summary>
    public AuditChainKey Current => Keys[^1];

    public bool TryGet(string keyId, out AuditChainKey key) => _byId.TryGetValue(keyId, out key!);

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "keys", FileName);

    /// <summary>Loads the ring: configured keys when set, the ring file's keys in any case (creating it on first use).</summary>
    public static AuditChainKeyRing Load(AuditAnchorOptions options, string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        var keys = new List<AuditChainKey>();
        if (options.ChainKey is { } configured)
        {
            // Keys that once hashed events may still be in the file from before an operator took over key management.
            if (File.Exists(path))
                keys.AddRange(ReadFile(path));
            keys.AddRange(options.RetiredChainKeys.Select(k => Decode(k, "TrialFlow:Audit:RetiredChainKeys")));
            keys.Add(Decode(configured, "TrialFlow:Audit:ChainKey"));
        }
        else
        {
            if (!File.Exists(path))
                Write(path, RandomNumberGenerator.GetBytes(AuditChainKey.Length), FileMode.CreateNew);
            keys.AddRange(ReadFile(path));
        }

        return new AuditChainKeyRing(keys);
    }

    /// <summary>Adds a new current key to the ring file; returns its id. Events already hashed keep verifying with the old keys.</summary>
    public static string Rotate(string dataDirectory)
    {
        var secret = RandomNumberGenerator.GetBytes(AuditChainKey.Length);
        Write(PathIn(dataDirectory), secret, FileMode.Append);
        return AuditChainKey.IdOf(secret);
    }

    private static List<AuditChainKey> ReadFile(string path)
    {
        var keys = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => Decode(l, path)).ToList();
        return keys.Count > 0 ? keys : throw new InvalidOperationException($"{path} holds no audit chain key.");
    }

    private static AuditChainKey Decode(string base64, string source)
    {
        try
        {
            return new AuditChainKey(Convert.FromBase64String(base64.Trim()));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"{source}: an audit chain key must be {AuditChainKey.Length} bytes, base64-encoded.", e);
        }
    }

    private static void Write(string path, byte[] secret, FileMode mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var file = new FileStream(path, options);
            file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(secret) + "\n"));
            file.Flush(flushToDisk: true);
        }
        catch (IOException) when (mode == FileMode.CreateNew && File.Exists(path))
        {
            // Another process created the ring first; its key is the one to use.
        }
    }
}
