namespace TrialFlow.Dicom.Tests.Pixels;

/// <summary>
/// JPEG Lossless frames encoded by dcmtk's dcmcjpeg decode to exactly the samples of the uncompressed original, for every
/// predictor, signed and unsigned, 8 and 16 bits, grey and colour; with a point transform (lossy) they equal what
/// dcmtk's own dcmdjpeg decodes.
/// </summary>
[Trait("Category", "Peer")]
public sealed class JpegLosslessTests
{
    public static TheoryData<string, int> Predictors()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in new[] { "test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/SC_rgb_small_odd.dcm" })
            for (var predictor = 1; predictor <= 7; predictor++)
                data.Add(file, predictor);
        data.Add("test_files/SC_rgb_rle_16bit_2frame.dcm", 6);
        return data;
    }

    [Theory]
    [MemberData(nameof(Predictors))]
    public void Frames_compressed_by_dcmcjpeg_decode_to_the_original_samples(string file, int predictor)
    {
        using var work = new Scratch();
        // dcmcjpeg takes uncompressed input only: an RLE file is first decompressed by dcmtk's dcmdrle.
        var source = file.Contains("_rle") ? work.Run("dcmdrle", Corpus.PathOf(file), work.Path("native.dcm")) : Corpus.PathOf(file);
        var compressed = work.Run("dcmcjpeg", "+el", "+sv", $"{predictor}", source, work.Path("jpeg.dcm"));
        var original = DicomFileReader.Read(source);
        var jpeg = DicomFileReader.Read(compressed);

        Assert.Equal("1.2.840.10008.1.2.4.57", jpeg.TransferSyntax.Uid);
        AssertSameFrames(original, jpeg);
    }

    [Fact]
    public void First_order_prediction_syntax_decodes_like_the_original()
    {
        using var work = new Scratch();
        var compressed = work.Run("dcmcjpeg", "+e1", Corpus.PathOf("test_files/CT_small.dcm"), work.Path("sv1.dcm"));

        var jpeg = DicomFileReader.Read(compressed);

        Assert.Equal("1.2.840.10008.1.2.4.70", jpeg.TransferSyntax.Uid);
        AssertSameFrames(DicomFileReader.Read(Corpus.PathOf("test_files/CT_small.dcm")), jpeg);
    }

    [Fact]
    public void A_point_transform_decodes_as_dcmdjpeg_decodes_it()
    {
        using var work = new Scratch();
        var compressed = work.Run("dcmcjpeg", "+el", "+sv", "4", "+pt", "3", Corpus.PathOf("test_files/MR_small.dcm"), work.Path("pt.dcm"));
        var byDcmtk = work.Run("dcmdjpeg", compressed, work.Path("dcmtk.dcm"));

        AssertSameFrames(DicomFileReader.Read(byDcmtk), DicomFileReader.Read(compressed));
    }

    [Fact]
    public void A_cut_off_frame_is_a_clear_error_naming_what_is_missing()
    {
        using var work = new Scratch();
        var jpeg = DicomFileReader.Read(work.Run("dcmcjpeg", "+el", Corpus.PathOf("test_files/MR_small.dcm"), work.Path("jpeg.dcm")));
        var bytes = DicomPixelData.GetFrameBytes(jpeg.Dataset, 0).ToArray();
        var info = DicomPixelInfo.FromDataset(jpeg.Dataset);

        var truncated = Assert.Throws<DicomValueException>(() => JpegLosslessDecoder.Decode(bytes.AsSpan(0, 200), info));
        var wrongSize = Assert.Throws<DicomValueException>(() => JpegLosslessDecoder.Decode(bytes, info with { Rows = info.Rows + 1 }));

        var corruptTable = bytes.ToArray();
        var dht = corruptTable.AsSpan().IndexOf(new byte[] { 0xFF, 0xC4 });
        corruptTable[dht + 5] = 0xFF; // the table claims 255 codes of length 1: far more values than the segment holds
        var corrupt = Assert.Throws<DicomValueException>(() => JpegLosslessDecoder.Decode(corruptTable, info));

        Assert.Contains("JPEG", truncated.Message);
        Assert.Contains("corrupt", corrupt.Message);
        Assert.Contains($"the DICOM header says {info.Columns}×{info.Rows + 1}", wrongSize.Message);
    }

    private static void AssertSameFrames(DicomFile expected, DicomFile actual)
    {
        var frames = DicomPixelData.GetFrameCount(expected.Dataset);
        Assert.Equal(frames, DicomPixelData.GetFrameCount(actual.Dataset));
        for (var f = 0; f < frames; f++)
        {
            var want = DicomPixelData.DecodeFrame(expected.Dataset, f, expected.TransferSyntax);
            var got = DicomPixelData.DecodeFrame(actual.Dataset, f, actual.TransferSyntax);
            Assert.Equal(want.Samples.ToArray(), got.Samples.ToArray());
        }
    }

    private sealed class Scratch : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tf-jpegll-");

        public string Path(string name) => System.IO.Path.Combine(_directory.FullName, name);

        /// <summary>Runs a dcmtk tool; returns its last argument (the file it wrote).</summary>
        public string Run(string tool, params string[] arguments)
        {
            using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)}: {errors}");
            return arguments[^1];
        }

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
