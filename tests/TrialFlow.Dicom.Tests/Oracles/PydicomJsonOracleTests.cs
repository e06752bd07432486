namespace TrialFlow.Dicom.Tests.Oracles;

/// <summary>For every file of pydicom's corpus, our DICOM JSON equals pydicom's <c>Dataset.to_json_dict()</c>.</summary>
public sealed class PydicomJsonOracleTests(PydicomOracle oracle) : IClassFixture<PydicomOracle>
{
    /// <summary>Files where pydicom and TrialFlow intentionally disagree, and what we do instead.</summary>
    public static readonly IReadOnlyDictionary<string, string> Rejected = new Dictionary<string, string>
    {
        // pydicom reads these as far as they go (values cut short); dcmdump rejects them, and so do we.
        ["test_files/MR_truncated.dcm"] = "truncated inside Pixel Data: DicomParseException (dcmdump also fails)",
        ["test_files/rtplan_truncated.dcm"] = "truncated inside a sequence: DicomParseException (dcmdump also fails)",
        // pydicom's to_json_dict raises ValueError on IS "1A"; we read the file and keep the text. All other elements
        // are compared with pydicom's to_json_dict(suppress_invalid_tags=True).
        ["test_files/badVR.dcm"] = "pydicom fails on IS '1A' in (0028,0008); we keep the value as a JSON string",
        // a stray leading byte: pydicom only reads it with force=True, as garbage; we reject it.
        ["test_files/no_meta.dcm"] = "stray leading byte (STACK-NOTES): DicomParseException",
    };

    public static TheoryData<string> Files() => Corpus.DicomFiles();

    [Trait("Category", "Peer")]
    [Theory]
    [MemberData(nameof(Files))]
    public void Json_equals_pydicom_to_json_dict(string file)
    {
        Assert.False(file.StartsWith("MISSING", StringComparison.Ordinal), file);
        var expected = oracle.ResultFor(file);
        if (Rejected.TryGetValue(file, out var reason))
        {
            if (reason.Contains("DicomParseException", StringComparison.Ordinal))
            {
                Assert.Throws<DicomParseException>(() => DicomFileReader.Read(Corpus.PathOf(file)));
                return;
            }
            var read = DicomFileReader.Read(Corpus.PathOf(file));
            var partial = Assert.IsType<JsonObject>(expected["partial"]);
            var dropped = expected["dropped"]!.AsArray().Select(d => d!.GetValue<string>()).ToHashSet();
            var ourJson = JsonNode.Parse(DicomJsonWriter.Write(read.Dataset))!.AsObject();
            foreach (var tag in dropped) ourJson.Remove(tag);
            var partialDiffs = JsonComparer.Differences(partial, ourJson);
            Assert.True(partialDiffs.Count == 0, string.Join("\n", partialDiffs.Take(30)));
            return;
        }
        Assert.True(expected["ok"]!.GetValue<bool>(), $"pydicom failed: {expected["error"]}");
        var ours = DicomFileReader.Read(Corpus.PathOf(file));
        var json = JsonNode.Parse(DicomJsonWriter.Write(ours.Dataset));
        var diffs = JsonComparer.Differences(expected["json"], json, bigEndian: !ours.TransferSyntax.IsLittleEndian);
        Assert.True(diffs.Count == 0, $"{diffs.Count} difference(s):\n" + string.Join("\n", diffs.Take(30)));
    }

    [Trait("Category", "Peer")]
    [Theory]
    [MemberData(nameof(Files))]
    public void File_meta_information_json_equals_pydicom_file_meta(string file)
    {
        var expected = oracle.ResultFor(file);
        if (Rejected.ContainsKey(file) || !expected["ok"]!.GetValue<bool>()) return; // covered by the dataset test
        var ours = DicomFileReader.Read(Corpus.PathOf(file));
        var json = JsonNode.Parse(DicomJsonWriter.Write(ours.FileMetaInformation));
        var diffs = JsonComparer.Differences(expected["meta"], json);
        Assert.True(diffs.Count == 0, $"{diffs.Count} difference(s):\n" + string.Join("\n", diffs.Take(30)));
    }

    public static TheoryData<string> NonDicom() => Corpus.NonDicomFiles();

    [Theory]
    [MemberData(nameof(NonDicom))]
    public void Non_DICOM_corpus_files_are_rejected_with_DicomParseException(string file)
    {
        var ex = Assert.Throws<DicomParseException>(() => DicomFileReader.Read(Corpus.PathOf(file)));
        Assert.True(ex.Offset >= 0);
    }
}
