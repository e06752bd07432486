using System.Text.RegularExpressions;

namespace TrialFlow.Dicom.Tests.Oracles;

/// <summary>Files written by TrialFlow are read by dcmtk's dcmdump without errors or warnings, with the same elements as the original.</summary>
[Trait("Category", "Peer")]
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

    /// <summary>Every corpus file we read, written in Explicit VR Little Endian (or its encapsulated syntax).</summary>
    public static TheoryData<string, string> AllFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in Corpus.AllFiles.Where(f => !Corpus.IsNotDicom(f) && !PydicomJsonOracleTests.Rejected.ContainsKey(f)))
            data.Add(f, "");
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    [MemberData(nameof(AllFiles))]
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
            var (originalCode, theirs, originalErrors) = Run(Corpus.PathOf(file));
            if (originalCode != 0 || originalErrors.Contains("E:", StringComparison.Ordinal))
                return; // dcmtk cannot read the original (SC_rgb_jpeg.dcm: implicit data announced as explicit): ours must just be clean
            var expected = Elements(theirs);
            var actual = Elements(ours);
            if (transferSyntax.Length > 0) Assert.True(expected.Count > 5, "dcmdump printed no elements for the original");
            int i = 0, j = 0;
            for (; i < expected.Count && j < actual.Count; i++, j++)
            {
                Assert.True(SameElement(file, expected[i], actual[j]), $"element {i}: dcmdump says\n  {expected[i]}\nfor the original and\n  {actual[j]}\nfor ours");
                var e = expected[i].Split(' ', 4);
                var a = actual[j].Split(' ', 4);
                if (e[2] is "UN" or "??" && a[2] == "SQ")
                {
                    // the original holds a sequence as UN (rtdose_rle: gdcmconv wrote every element as UN); we read it
                    // as a sequence (CP-246, as pydicom does), so our dump has its items where dcmtk's has bytes
                    var depth = int.Parse(a[0], System.Globalization.CultureInfo.InvariantCulture);
                    while (j + 1 < actual.Count && int.Parse(actual[j + 1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) > depth) j++;
                }
            }
            Assert.True(i == expected.Count && j == actual.Count, $"element lists differ in length ({expected.Count} vs {actual.Count})");
        }
        finally
        {
            File.Delete(written);
        }
    }

    /// <summary>
    /// Where dcmtk and we legitimately disagree about a value. rtdose_expb: 32-bit samples in big-endian OW; dcmtk swaps
    /// 16-bit words, we swap whole samples, which gives pydicom's pixel_array and the values of the little-endian twin
    /// rtdose.dcm (checked by PixelOracleTests).
    /// </summary>
    private static readonly Dictionary<string, string> ValueNotCompared = new()
    {
        ["test_files/rtdose_expb.dcm"] = "7fe0,0010",
        ["test_files/rtdose_expb_1frame.dcm"] = "7fe0,0010",
    };

    private static bool SameElement(string file, string expected, string actual)
    {
        if (expected == actual) return true;
        var e = expected.Split(' ', 4);
        var a = actual.Split(' ', 4);
        if (e[0] != a[0] || e[1] != a[1]) return false;
        // dcmtk shows UN where the original was explicit UN or where it misreads it (rtdose_rle: UN for every element);
        // we read such values with the dictionary VR (and private creators as LO, PS3.5 7.8.1)
        if (e[2] is "UN" or "??") return true;
        return ValueNotCompared.TryGetValue(file, out var tag) && tag == e[1] && e[2] == a[2];
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

    [GeneratedRegex(@"^(?<i>\s*)\((?<g>[0-9a-f]{4}),(?<e>[0-9a-f]{4})\) (?<vr>\w\w|\?\?) (?<v>.*?)\s+#\s*(\d+|u/l),")]
    private static partial Regex ElementLine();

    [GeneratedRegex(@"(explicit|undefined) length ")]
    private static partial Regex LengthKind();
}
