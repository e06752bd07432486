using System.Security.Cryptography;

namespace TrialFlow.Dicom.Tests.Pixels;

/// <summary>Every frame we decode (native and RLE Lossless) has the same samples as pydicom's <c>pixel_array</c>.</summary>
[Trait("Category", "Peer")]
public sealed class PixelOracleTests(PixelOracleTests.PydicomPixels oracle) : IClassFixture<PixelOracleTests.PydicomPixels>
{
    public static readonly string[] Files =
    [
        "test_files/CT_small.dcm", "test_files/ExplVR_BigEnd.dcm", "test_files/MR_small.dcm", "test_files/MR_small_RLE.dcm",
        "test_files/MR_small_bigendian.dcm", "test_files/MR_small_expb.dcm", "test_files/MR_small_implicit.dcm",
        "test_files/MR_small_padded.dcm", "test_files/SC_rgb_rle.dcm", "test_files/SC_rgb_rle_16bit.dcm",
        "test_files/SC_rgb_rle_16bit_2frame.dcm", "test_files/SC_rgb_rle_2frame.dcm", "test_files/SC_rgb_rle_32bit.dcm",
        "test_files/SC_rgb_rle_32bit_2frame.dcm", "test_files/SC_rgb_small_odd.dcm", "test_files/image_dfl.dcm",
        "test_files/liver_1frame.dcm", "test_files/liver_expb_1frame.dcm", "test_files/rtdose.dcm", "test_files/rtdose_1frame.dcm",
        "test_files/rtdose_expb.dcm", "test_files/rtdose_expb_1frame.dcm", "test_files/rtdose_rle.dcm", "test_files/rtdose_rle_1frame.dcm",
    ];

    public static TheoryData<string> Cases() => new(Files);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decoded_frames_equal_pydicom_pixel_array(string file)
    {
        var expected = oracle.Results[file];
        Assert.True(expected["ok"]!.GetValue<bool>(), expected["error"]?.ToString());
        var dicom = DicomFileReader.Read(Corpus.PathOf(file));
        var frames = DicomPixelData.GetFrameCount(dicom.Dataset);
        Assert.Equal(expected["frames"]!.GetValue<int>(), frames);
        for (var f = 0; f < frames; f++)
        {
            var frame = DicomPixelData.DecodeFrame(dicom.Dataset, f, dicom.TransferSyntax);
            Assert.Equal(expected["sha256"]![f]!.GetValue<string>(), Hash(frame));
        }
    }

    private static string Hash(DicomFrame frame)
    {
        var bytes = new byte[frame.Samples.Length * 8];
        var i = 0;
        for (var r = 0; r < frame.Rows; r++)
            for (var c = 0; c < frame.Columns; c++)
                for (var s = 0; s < frame.SamplesPerPixel; s++, i++)
                    BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), frame[r, c, s]);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>pydicom's frame hashes for <see cref="Files"/>, from one python process.</summary>
    public sealed class PydicomPixels
    {
        public PydicomPixels()
        {
            Assert.True(File.Exists(PydicomOracle.Python), $"{PydicomOracle.Python} is missing: install python3-pydicom and python3-numpy");
            var psi = new ProcessStartInfo(PydicomOracle.Python, [Path.Combine(AppContext.BaseDirectory, "Oracles", "pydicom_pixels.py")])
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Corpus.Root,
            };
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            foreach (var f in Files) p.StandardInput.WriteLine(f);
            p.StandardInput.Close();
            while (p.StandardOutput.ReadLine() is { } line)
            {
                var node = JsonNode.Parse(line)!.AsObject();
                Results[node["path"]!.GetValue<string>()] = node;
            }
            p.WaitForExit();
            Assert.True(Results.Count == Files.Length, "pydicom pixel oracle failed: " + err.Result);
        }

        public Dictionary<string, JsonObject> Results { get; } = new(StringComparer.Ordinal);
    }
}
