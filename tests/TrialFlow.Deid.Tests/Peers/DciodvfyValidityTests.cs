using System.Diagnostics;
using Xunit.Abstractions;

namespace TrialFlow.Deid.Tests.Peers;

/// <summary>
/// dciodvfy (Debian dicom3tools) checks each de-identified pydicom corpus image against its IOD: it must report no error
/// that it did not already report for the original file.
/// </summary>
[Trait("Category", "Peer")]
public sealed partial class DciodvfyValidityTests(ITestOutputHelper output)
{
    /// <summary>Corpus files left out, and why.</summary>
    internal static readonly Dictionary<string, string> Exclusions = new(StringComparer.Ordinal)
    {
        ["no_meta.dcm"] = "stray leading byte: neither pydicom nor dcmtk nor TrialFlow.Dicom parses it",
        ["MR_truncated.dcm"] = "truncated pixel data: not a complete instance",
        ["rtplan_truncated.dcm"] = "truncated: not a complete instance",
        ["image_dfl.dcm"] = "Deflated Explicit VR Little Endian: dciodvfy reads the deflated bytes as a raw dataset and fails on the original",
    };

    [Fact]
    public async Task Deidentified_corpus_images_have_no_new_dciodvfy_errors()
    {
        var dciodvfy = TestPaths.RequireTool("dciodvfy");
        var dir = TestPaths.TempDirectory("dciodvfy");
        try
        {
            var newErrors = new List<string>();
            var checkedFiles = 0;
            foreach (var path in Directory.GetFiles(TestPaths.PydicomCorpus, "*.dcm").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                if (Exclusions.ContainsKey(name)) continue;
                var file = DicomFileReader.Read(path);
                if (!file.Dataset.Contains(DicomTags.PixelData) && !file.Dataset.Contains(DicomTags.ContentSequence)
                    && !file.Dataset.Contains(DicomTags.WaveformSequence) && !file.Dataset.Contains(DicomTags.StructureSetROISequence)
                    && !file.Dataset.Contains(DicomTags.BeamSequence))
                    continue; // not an image, SR, waveform or RT object (fragments of datasets used by pydicom's own tests)
                var result = DeidEngine.Deidentify(file.Dataset, TestPaths.TrialDefault, Engine.PhiCanaryTests.Context());
                var target = Path.Combine(dir, name);
                DicomFileWriter.Write(result.Dataset, target, null, null, file.TransferSyntax);

                var before = await ErrorsAsync(dciodvfy, path);
                var after = await ErrorsAsync(dciodvfy, target);
                checkedFiles++;
                foreach (var e in after.Except(before)) newErrors.Add($"{name}: {e}");
                output.WriteLine($"{name}: {before.Count} errors before, {after.Count} after");
            }
            Assert.True(newErrors.Count == 0, "new dciodvfy errors:\n" + string.Join("\n", newErrors));
            Assert.True(checkedFiles >= 30, $"only {checkedFiles} corpus files were checked");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<HashSet<string>> ErrorsAsync(string dciodvfy, string path)
    {
        var psi = new ProcessStartInfo(dciodvfy, [path]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await stdout;
        await process.WaitForExitAsync();
        // UIDs in messages change by design: compare the messages with UIDs masked.
        return [.. (stderr + "\n" + stdout.Result).Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Error", StringComparison.Ordinal))
            .Select(l => Uid().Replace(l, "<uid>"))];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b\d+(\.\d+){2,}\b|(?<=UID )[0-9.]+")]
    private static partial System.Text.RegularExpressions.Regex Uid();
}
