namespace TrialFlow.Dicom.Tests.IO;

/// <summary>Reading, writing and reading again yields the same dataset, for every readable corpus file (so every transfer syntax in it).</summary>
public sealed class RoundTripTests
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
    public void Read_write_read_yields_the_same_dataset_in_explicit_VR_little_endian(string file)
    {
        var original = DicomFileReader.Read(Corpus.PathOf(file));
        var copy = RoundTrip(original, DicomTransferSyntax.ExplicitVRLittleEndian);
        DatasetAssert.Equal(original.Dataset, copy.Dataset, implicitVr: false);
        var expectedTs = original.Dataset.Any(i => i is DicomFragmentSequence) ? original.TransferSyntax.Uid : DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
        Assert.Equal(expectedTs, copy.TransferSyntax.Uid);
        Assert.Equal(TrialFlowImplementation.ImplementationClassUid, copy.FileMetaInformation.GetString(DicomTags.ImplementationClassUID));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Read_write_read_yields_the_same_dataset_in_implicit_VR_little_endian(string file)
    {
        var original = DicomFileReader.Read(Corpus.PathOf(file));
        if (original.TransferSyntax.IsEncapsulated) return; // encapsulated data keeps its own syntax (covered above)
        var copy = RoundTrip(original, DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, copy.TransferSyntax);
        DatasetAssert.Equal(original.Dataset, copy.Dataset, implicitVr: true);
    }

    [Fact]
    public void Writer_puts_a_correct_group_length_in_the_file_meta_information()
    {
        var ds = new DicomDataset
        {
            { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
            { DicomTags.SOPInstanceUID, "1.2.3.4" },
            { DicomTags.PatientID, "P1" },
        };
        using var ms = new MemoryStream();
        DicomFileWriter.Write(ds, ms);
        ms.Position = 0;
        var read = DicomFileReader.Read(ms);
        var groupLength = read.FileMetaInformation.Get<uint>(new DicomTag(0x00020000));
        // preamble 128 + DICM 4 + group length element 12 + group length value
        var firstDatasetByte = 132 + 12 + groupLength;
        var bytes = ms.ToArray();
        Assert.Equal(0x08, bytes[firstDatasetByte]); // (0008,0016) starts right after group 0002
        Assert.Equal("1.2.3.4", read.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal(TrialFlowImplementation.ImplementationVersionName, read.FileMetaInformation.GetString(DicomTags.ImplementationVersionName));
    }

    internal static DicomFile RoundTrip(DicomFile original, DicomTransferSyntax ts)
    {
        using var ms = new MemoryStream();
        DicomFileWriter.Write(original, ms, new DicomWriteOptions { TransferSyntax = ts });
        ms.Position = 0;
        return DicomFileReader.Read(ms);
    }
}
