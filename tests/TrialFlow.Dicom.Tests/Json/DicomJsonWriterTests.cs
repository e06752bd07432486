namespace TrialFlow.Dicom.Tests.Json;

public sealed class DicomJsonWriterTests
{
    private static DicomDataset Sample() => new()
    {
        { DicomTags.SpecificCharacterSet, "ISO_IR 192" }, // first: text added later is encoded with it
        { DicomTags.PatientName, "Doe^John=ドウ^ジョン" },
        { DicomTags.InstanceNumber, 3 },
        { DicomTags.PixelSpacing, 0.5, 0.25 },
        { DicomTags.Rows, (ushort)2 },
        { DicomTags.FrameIncrementPointer, new DicomTag(0x00181063) },
        { DicomTags.PixelData, DicomVR.OB, new byte[] { 1, 2, 3, 4 } },
    };

    [Fact]
    public void Json_follows_PS3_18_Annex_F_for_each_kind_of_value()
    {
        var json = JsonNode.Parse(DicomJsonWriter.Write(Sample()))!;
        Assert.Equal("PN", json["00100010"]!["vr"]!.GetValue<string>());
        Assert.Equal("Doe^John", json["00100010"]!["Value"]![0]!["Alphabetic"]!.GetValue<string>());
        Assert.Equal("ドウ^ジョン", json["00100010"]!["Value"]![0]!["Ideographic"]!.GetValue<string>());
        Assert.Equal(3, json["00200013"]!["Value"]![0]!.GetValue<int>());
        Assert.Equal(0.25, json["00280030"]!["Value"]![1]!.GetValue<double>());
        Assert.Equal("00181063", json["00280009"]!["Value"]![0]!.GetValue<string>());
        Assert.Equal("AQIDBA==", json["7FE00010"]!["InlineBinary"]!.GetValue<string>());
    }

    [Fact]
    public void Bulk_data_can_be_referenced_by_URI_or_omitted()
    {
        var uri = JsonNode.Parse(DicomJsonWriter.Write(Sample(), new DicomJsonOptions { BulkData = DicomJsonBulkData.BulkDataUri }))!;
        Assert.Equal("bulk/7FE00010", uri["7FE00010"]!["BulkDataURI"]!.GetValue<string>());
        Assert.Null(uri["7FE00010"]!["InlineBinary"]);

        var omitted = JsonNode.Parse(DicomJsonWriter.Write(Sample(), new DicomJsonOptions { BulkData = DicomJsonBulkData.Omit }))!;
        Assert.Equal("OB", omitted["7FE00010"]!["vr"]!.GetValue<string>());
        Assert.Null(omitted["7FE00010"]!["InlineBinary"]);
        Assert.Null(omitted["7FE00010"]!["BulkDataURI"]);

        var withOverlay = Sample();
        withOverlay.Add(new DicomElement(new DicomTag(0x6000, 0x3000), DicomVR.OW, DicomBuffer.FromBytes(new byte[] { 9, 9 })));
        var small = JsonNode.Parse(DicomJsonWriter.Write(withOverlay, new DicomJsonOptions { BulkData = DicomJsonBulkData.Omit, BulkDataThreshold = 100 }))!;
        Assert.Equal("CQk=", small["60003000"]!["InlineBinary"]!.GetValue<string>());
        // Metadata never carries the image itself, however small (PS3.18 10.4.1.1.3).
        Assert.Null(small["7FE00010"]!["InlineBinary"]);
    }

    [Fact]
    public void Bulk_data_URIs_of_nested_elements_name_their_path()
    {
        var item = new DicomDataset { { DicomTags.PixelData, DicomVR.OB, new byte[] { 1, 2 } } };
        var ds = new DicomDataset().AddOrUpdate(DicomTags.IconImageSequence, item);
        var json = JsonNode.Parse(DicomJsonWriter.Write(ds, new DicomJsonOptions { BulkData = DicomJsonBulkData.BulkDataUri }))!;
        Assert.Equal("bulk/00880200/0/7FE00010", json["00880200"]!["Value"]![0]!["7FE00010"]!["BulkDataURI"]!.GetValue<string>());
    }

    [Fact]
    public void Group_lengths_are_left_out_unless_asked_for()
    {
        var file = DicomFileReader.Read(Corpus.PathOf("test_files/rtplan.dcm"));
        Assert.DoesNotContain("\"00080000\"", DicomJsonWriter.Write(file.Dataset), StringComparison.Ordinal);
    }
}
