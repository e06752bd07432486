namespace TrialFlow.Testing;

/// <summary>Where the repository is, for tests and benchmarks that read its rulesets and templates.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "TrialFlow.sln")))
                return dir.FullName;
        throw new InvalidOperationException("repository root (the folder holding TrialFlow.sln) not found above " + AppContext.BaseDirectory);
    }
}
