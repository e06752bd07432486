namespace TrialFlow.Deid.Tests;

internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Profile(string name) => Path.Combine(RepositoryRoot, "rulesets", "deid", name);

    public static DeidProfile TrialDefault { get; } = DeidProfileLoader.LoadFile(Profile("trial-default.yaml"));

    public const string PydicomCorpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    public static TrialAttributes Trial(string siteId = "101") => new("Acme Oncology", "ACME-301", siteId, $"Site {siteId}", "A phase 3 trial", "BASELINE", "Baseline visit");

    public static string TempDirectory(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"trialflow-deid-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Fails (not skips) when a peer tool is not installed.</summary>
    public static string RequireTool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException($"{name} is not installed: this test needs it (Debian: apt-get install dicom3tools libgdcm-tools openssl).");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TrialFlow.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}

/// <summary>A UID map for pure-engine tests: a fresh random pseudonym per source UID, remembered.</summary>
internal sealed class MemoryUidMap : IUidMap
{
    private readonly Dictionary<string, string> _map = new(StringComparer.Ordinal);

    /// <summary>The pseudonyms handed out: random digits, which a byte scan for planted values must not mistake for a leak.</summary>
    public IEnumerable<string> Minted => _map.Values;

    public string Map(string sourceUid)
    {
        if (!_map.TryGetValue(sourceUid, out var uid)) _map[sourceUid] = uid = TrialFlow.Deid.Pseudonyms.PseudonymStore.NewUid();
        return uid;
    }
}
