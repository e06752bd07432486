using System.Diagnostics;
using Xunit.Abstractions;

namespace TrialFlow.Deid.Tests.Peers;

/// <summary>
/// gdcmanon (Debian libgdcm-tools, PS3.15-2008 list, <c>-e</c> with a self-signed certificate) and TrialFlow on the same
/// pydicom corpus images. Every attribute gdcmanon removes or replaces must be removed or replaced by our Basic Profile
/// too; what each tool removes that the other keeps is printed (and summarised in docs/deid.md).
/// </summary>
[Trait("Category", "Peer")]
public sealed class GdcmanonComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_attribute_gdcmanon_removes_is_removed_or_replaced_by_the_basic_profile()
    {
        var gdcmanon = TestPaths.RequireTool("gdcmanon");
        var openssl = TestPaths.RequireTool("openssl");
        var dir = TestPaths.TempDirectory("gdcmanon");
        try
        {
            var cert = Path.Combine(dir, "cert.pem");
            await RunAsync(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-keyout", Path.Combine(dir, "key.pem"), "-out", cert,
                "-days", "2", "-nodes", "-subj", "/CN=TrialFlow gdcmanon comparison"]);
            var basic = DeidProfileLoader.LoadText("name: basic-only\n", "basic-only.yaml");

            var missedByUs = new SortedSet<string>(StringComparer.Ordinal);
            var onlyGdcm = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var onlyOurs = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var gdcmFailures = new List<string>();
            var compared = 0;
            foreach (var path in Directory.GetFiles(TestPaths.PydicomCorpus, "*.dcm").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                if (DciodvfyValidityTests.Exclusions.ContainsKey(name)) continue;
                var original = DicomFileReader.Read(path).Dataset;
                if (!original.Contains(DicomTags.SOPInstanceUID)) continue;
                var gdcmOut = Path.Combine(dir, name);
                var (code, text) = await RunAsync(gdcmanon, ["-e", "-c", cert, "-i", path, "-o", gdcmOut], throwOnError: false);
                if (code != 0 || !File.Exists(gdcmOut))
                {
                    gdcmFailures.Add($"{name}: exit {code} {text.Trim()}");
                    continue;
                }
                var theirs = Flatten(DicomFileReader.Read(gdcmOut).Dataset);
                var ours = Flatten(DeidEngine.Deidentify(original, basic, Engine.PhiCanaryTests.Context()).Dataset);
                var before = Flatten(original);
                compared++;
                foreach (var (key, value) in before)
                {
                    var gdcmChanged = !theirs.TryGetValue(key, out var t) || !t.SequenceEqual(value);
                    var oursChanged = !ours.TryGetValue(key, out var o) || !o.SequenceEqual(value);
                    var label = Label(key);
                    if (gdcmChanged && !oursChanged)
                    {
                        missedByUs.Add($"{name} {key}");
                        onlyGdcm[label] = onlyGdcm.GetValueOrDefault(label) + 1;
                    }
                    if (oursChanged && !gdcmChanged) onlyOurs[label] = onlyOurs.GetValueOrDefault(label) + 1;
                }
            }

            output.WriteLine($"compared {compared} files; gdcmanon failed on {gdcmFailures.Count}:");
            foreach (var f in gdcmFailures) output.WriteLine("  " + f);
            output.WriteLine("removed or replaced by TrialFlow Basic Profile, kept by gdcmanon (attribute: files):");
            foreach (var (k, v) in onlyOurs) output.WriteLine($"  {k}: {v}");
            output.WriteLine("removed or replaced by gdcmanon, kept by TrialFlow Basic Profile:");
            foreach (var (k, v) in onlyGdcm) output.WriteLine($"  {k}: {v}");

            Assert.True(missedByUs.Count == 0, "gdcmanon removes or replaces, we keep:\n" + string.Join("\n", missedByUs));
            Assert.True(compared >= 30, $"only {compared} files compared");
            Assert.NotEmpty(onlyOurs); // we go further than the 2008 list: private attributes, dates, descriptors
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // Every element by path ("(0008,1140)[0]/(0008,1155)"), value bytes; sequences contribute their items' elements.
    private static Dictionary<string, byte[]> Flatten(DicomDataset ds)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        void Walk(DicomDataset d, string prefix)
        {
            foreach (var item in d)
            {
                if (item.Tag == new DicomTag(0x04000500) || item.Tag.Group == 0x0002 || item.Tag.IsGroupLength) continue;
                var key = prefix + item.Tag;
                switch (item)
                {
                    case DicomElement e:
                        var bytes = e.Buffer.GetBytes().ToArray();
                        // Compare values as written: trailing padding is not a change.
                        var length = bytes.Length;
                        while (length > 0 && (bytes[length - 1] == 0 || (e.VR.IsString() && bytes[length - 1] == ' '))) length--;
                        result[key] = bytes[..length];
                        break;
                    case DicomSequence s:
                        var nested = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                        for (var i = 0; i < s.Items.Count; i++)
                            foreach (var (k, v) in Flatten(s.Items[i]))
                            {
                                nested[$"{key}[{i}]/{k}"] = v;
                                result[$"{key}[{i}]/{k}"] = v;
                            }
                        // The sequence's own value: its item count and everything inside, so emptying an item is a change.
                        result[key] = System.Text.Encoding.UTF8.GetBytes($"{s.Items.Count}|" + string.Join("|", nested.OrderBy(n => n.Key, StringComparer.Ordinal)
                            .Select(n => n.Key[key.Length..] + "=" + Convert.ToHexString(n.Value))));
                        break;
                    case DicomFragmentSequence f:
                        result[key] = [(byte)f.Fragments.Count];
                        break;
                }
            }
        }
        Walk(ds, "");
        return result;
    }

    private static string Label(string path)
    {
        var last = path[(path.LastIndexOf('/') + 1)..];
        var tag = DicomTag.Parse(last);
        var where = path.Contains('/') ? "in a sequence: " : "";
        return tag.IsPrivate ? where + "private attributes (odd groups)" : where + $"{last} {DicomDictionary.KeywordOf(tag) ?? "unknown"}";
    }

    private static async Task<(int Code, string Text)> RunAsync(string file, string[] args, bool throwOnError = true)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await stdout + stderr;
        if (throwOnError && process.ExitCode != 0) throw new InvalidOperationException($"{file} exited {process.ExitCode}: {text}");
        return (process.ExitCode, text);
    }
}
