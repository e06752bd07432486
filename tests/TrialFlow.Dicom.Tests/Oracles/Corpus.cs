namespace TrialFlow.Dicom.Tests.Oracles;

/// <summary>The pydicom test corpus installed by Debian's python3-pydicom (the CI installs it; tests fail without it).</summary>
public static class Corpus
{
    public const string Root = "/usr/lib/python3/dist-packages/pydicom/data";

    /// <summary>Every file of test_files/ (recursively) and charset_files/, relative to <see cref="Root"/>.</summary>
    public static IReadOnlyList<string> AllFiles { get; } = List();

    public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>Files in the corpus that are not DICOM at all (text, JSON, gzip): reading them must fail cleanly.</summary>
    public static bool IsNotDicom(string relative)
    {
        var name = System.IO.Path.GetFileName(relative);
        return name.EndsWith(".txt", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal)
            || name.EndsWith(".dump", StringComparison.Ordinal) || name.EndsWith(".gz", StringComparison.Ordinal)
            || name == "README" || name.EndsWith(".py", StringComparison.Ordinal);
    }

    public static TheoryData<string> DicomFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in AllFiles.Where(f => !IsNotDicom(f))) data.Add(f);
        return data;
    }

    public static TheoryData<string> NonDicomFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in AllFiles.Where(IsNotDicom)) data.Add(f);
        return data;
    }

    private static string[] List()
    {
        if (!Directory.Exists(Root))
            return ["MISSING: pydicom corpus not installed at " + Root + " (apt-get install python3-pydicom)"];
        return Directory.EnumerateFiles(System.IO.Path.Combine(Root, "test_files"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(System.IO.Path.Combine(Root, "charset_files")))
            .Select(p => System.IO.Path.GetRelativePath(Root, p))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
