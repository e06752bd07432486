namespace TrialFlow.Deid.Tests.Engine;

public sealed class DeidFileWriterTests
{
    [Theory]
    [InlineData(512 * 512 * 2)]
    [InlineData(300 * 301)] // odd length: padded
    [InlineData(3 * (1 << 20) + 17)] // more than one chunk
    public void Streamed_pixel_passthrough_writes_the_same_bytes_as_the_toolkit_writer(int pixelBytes)
    {
        var dir = TestPaths.TempDirectory("writer");
        try
        {
            var pixels = new byte[pixelBytes];
            new Random(pixelBytes).NextBytes(pixels);
            var source = Path.Combine(dir, "source.dcm");
            DicomFileWriter.Write(new DicomDataset
            {
                { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7" },
                { DicomTags.SOPInstanceUID, "1.2.3.4" },
                { DicomTags.PatientName, "Doe^John" },
                { DicomTags.PixelData, DicomVR.OB, pixels },
            }, source);
            var file = DicomFileReader.Read(source);
            Assert.True(((DicomElement)file.Dataset[DicomTags.PixelData]!).Buffer.IsDeferred);
            var result = DeidEngine.Deidentify(file.Dataset, TestPaths.TrialDefault, PhiCanaryTests.Context()).Dataset;

            var streamed = Path.Combine(dir, "streamed.dcm");
            var reference = Path.Combine(dir, "reference.dcm");
            DeidFileWriter.Write(result, streamed, file.TransferSyntax);
            DicomFileWriter.Write(result, reference, null, null, file.TransferSyntax);
            Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(streamed));
            Assert.True(result.Contains(DicomTags.PixelData)); // the dataset is left as it was
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
