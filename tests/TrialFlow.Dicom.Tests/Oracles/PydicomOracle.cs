namespace TrialFlow.Dicom.Tests.Oracles;

/// <summary>pydicom's JSON for every corpus file, produced by one python process per test run.</summary>
public sealed class PydicomOracle
{
    public const string Python = "/usr/bin/python3";

    private readonly Lazy<IReadOnlyDictionary<string, JsonObject>> _results = new(Run);

    /// <summary>pydicom's answer for a corpus file: {ok, json | error, warnings}.</summary>
    public JsonObject ResultFor(string relative) =>
        _results.Value.TryGetValue(relative, out var r) ? r : throw new InvalidOperationException($"pydicom produced nothing for {relative}");

    private static IReadOnlyDictionary<string, JsonObject> Run()
    {
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} is missing: install python3-pydicom (Debian) to run the oracle tests");
        var script = Path.Combine(AppContext.BaseDirectory, "Oracles", "pydicom_json.py");
        var psi = new ProcessStartInfo(Python, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Corpus.Root,
        };
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var f in Corpus.AllFiles) process.StandardInput.WriteLine(f);
        process.StandardInput.Close();
        var results = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        while (process.StandardOutput.ReadLine() is { } line)
        {
            var node = JsonNode.Parse(line)!.AsObject();
            results[node["path"]!.GetValue<string>()] = node;
        }
        process.WaitForExit();
        if (results.Count == 0) throw new InvalidOperationException("pydicom oracle produced no output: " + stderr.Result);
        return results;
    }
}
