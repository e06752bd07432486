using System.Diagnostics;
using System.Text.RegularExpressions;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Dicom.Tests.Oracles;

/// <summary>Files written by TrialFlow are read by dcmtk's dcmdump without errors or warnings, with the same elements as the original.</summary>
public sealed partial class DcmtkOracleTests
{
    private const string Dcmdump = "/usr/bin/dcmdump";

    public static TheoryData<string, string> Files() => new()
    {
        { "test_files/CT_small.dcm", "1.2.840.10008.1.2.1" },
        { "test_files/MR_small.dcm", "1.2.840.10008.1.2" },
        { "test_files/MR_small_bigendian.dcm", "1.2.840.10008.1.2.1" },
        { "test_files/rtplan.dcm", "1.2.840.10008.1.2.1" },
        { "test_files/rtstruct.dcm", "1.2.840.10008.1.2" },
        { "test_files/test-SR.dcm", "1.2.840.10008.1.2.1" },
        { "test_files/image_dfl.dcm", "1.2.840.10008.1.2.1" },
        { "test_files/JPEG2000.dcm", "" },
        { "test_files/SC_rgb_rle_2frame.dcm", "" },
        { "test_files/UN_sequence.dcm", "1.2.840.10008.1.2.1" },
        { "charset_files/chrH31.dcm", "1.2.840.10008.1.2.1" },
        { "charset_files/chrSQEncoding.dcm", "1.2.840.10008.1.2" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Dcmdump_reads_our_file_cleanly_with_the_same_elements(string file, string transferSyntax)
    {
        Assert.True(File.Exists(Dcmdump), $"{Dcmdump} is missing: install dcmtk to run the dcmtk oracle tests");
        var original = DicomFileReader.Read(Corpus.PathOf(file));
        var written = Path.Combine(Path.GetTempPath(), $"trialflow-dcmtk-{Guid.NewGuid():N}.dcm");
        try
        {
            var ts = transferSyntax.Length == 0 ? null : DicomTransferSyntax.Find(transferSyntax);
            DicomFileWriter.Write(original, written, new DicomWriteOptions { TransferSyntax = ts });
            var (code, ours, errors) = Run(written);
            Assert.True(code == 0, $"dcmdump exit {code}: {errors}");
            Assert.True(!errors.Contains("E:", StringComparison.Ordinal) && !errors.Contains("W:", StringComparison.Ordinal), errors);
            var (_, theirs, _) = Run(Corpus.PathOf(file));
            var expected = Elements(theirs);
            Assert.True(expected.Count > 5, "dcmdump printed no elements for the original");
            Assert.Equal(expected, Elements(ours));
        }
        finally
        {
            File.Delete(written);
        }
    }

    private static (int Code, string Out, string Err) Run(string path)
    {
        var psi = new ProcessStartInfo(Dcmdump, ["-q", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    // The dataset part of a dump as (depth, tag, VR, value) lines, ignoring what legitimately differs: lengths,
    // delimitation items (we write undefined lengths), and private elements (dcmtk's private dictionary names VRs
    // that implicit VR input did not carry; we keep them as UN).
    private static List<string> Elements(string dump)
    {
        var lines = new List<string>();
        var inDataset = false;
        foreach (var raw in dump.Split('\n'))
        {
            if (raw.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal)) inDataset = true;
            if (!inDataset) continue;
            var m = ElementLine().Match(raw);
            if (!m.Success) continue;
            var group = Convert.ToUInt16(m.Groups["g"].Value, 16);
            var element = Convert.ToUInt16(m.Groups["e"].Value, 16);
            if (group == 0xFFFE && element != 0xE000) continue;
            if ((group & 1) == 1 && element >= 0x1000) continue;
            if (element == 0) continue; // group lengths are not written
            var value = LengthKind().Replace(m.Groups["v"].Value.TrimEnd(), "");
            lines.Add($"{m.Groups["i"].Value.Length} {m.Groups["g"].Value},{m.Groups["e"].Value} {m.Groups["vr"].Value} {value}");
        }
        return lines;
    }

    [GeneratedRegex(@"^(?<i>\s*)\((?<g>[0-9a-f]{4}),(?<e>[0-9a-f]{4})\) (?<vr>\w\w) (?<v>.*?)\s+#\s*(\d+|u/l),")]
    private static partial Regex ElementLine();

    [GeneratedRegex(@"(explicit|undefined) length ")]
    private static partial Regex LengthKind();
}
