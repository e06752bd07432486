namespace TrialFlow.Dicom.Tests.Json;

public sealed class DicomJsonReaderTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Corpus.AllFiles.Where(f => !Corpus.IsNotDicom(f) && !PydicomJsonOracleTests.Rejected.ContainsKey(f)))
            data.Add(f);
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Json_read_back_into_a_dataset_writes_the_same_json(string file)
    {
        var dataset = DicomFileReader.Read(Corpus.PathOf(file)).Dataset;
        if (dataset.CharacterSet.UsesCodeExtensions && dataset.CharacterSet.Terms.Count > 1)
            return; // ISO 2022 code extensions: we encode text with the first character set only (docs/dicom.md)
        var first = DicomJsonWriter.Write(dataset);
        var second = DicomJsonWriter.Write(DicomJsonReader.Read(first));
        var diffs = JsonComparer.Differences(JsonNode.Parse(first), JsonNode.Parse(second));
        Assert.True(diffs.Count == 0, string.Join("\n", diffs.Take(20)));
    }

    [Fact]
    public void Json_reader_builds_typed_values_and_resolves_bulk_data()
    {
        const string json = """
            {
              "00080005": { "vr": "CS", "Value": ["ISO_IR 192"] },
              "00100010": { "vr": "PN", "Value": [{ "Alphabetic": "Doe^John", "Ideographic": "ドウ^ジョン" }] },
              "00200013": { "vr": "IS", "Value": [7] },
              "00280030": { "vr": "DS", "Value": [0.5, 0.25] },
              "00280010": { "vr": "US", "Value": [512] },
              "00081140": { "vr": "SQ", "Value": [{ "00081155": { "vr": "UI", "Value": ["1.2.3"] } }] },
              "7FE00010": { "vr": "OB", "BulkDataURI": "https://example/bulk/1" }
            }
            """;
        var ds = DicomJsonReader.Read(json, uri => uri.EndsWith("/1", StringComparison.Ordinal) ? new byte[] { 9, 9 } : default);
        Assert.Equal("ドウ^ジョン", ds.Get<DicomPersonName>(DicomTags.PatientName).Ideographic);
        Assert.Equal(7, ds.Get<int>(DicomTags.InstanceNumber));
        Assert.Equal(0.25, ds.Get<double>(DicomTags.PixelSpacing, 1));
        Assert.Equal(512, ds.Get<int>(DicomTags.Rows));
        Assert.Equal("1.2.3", ds.Get<DicomDataset>(DicomTags.ReferencedImageSequence).GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal([9, 9], ds.Get<byte[]>(DicomTags.PixelData));
    }

    [Fact]
    public void Json_reader_rejects_malformed_input_with_DicomValueException() =>
        Assert.Throws<DicomValueException>(() => DicomJsonReader.Read("{\"00100010\": {\"vr\": \"US\", \"Value\": [\"x\"]}}"));
}
