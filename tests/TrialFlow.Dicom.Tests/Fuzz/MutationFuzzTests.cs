using TrialFlow.Dicom.Text;

namespace TrialFlow.Dicom.Tests.Fuzz;

/// <summary>
/// Seeded mutation fuzzing over the corpus: bit flips, truncations, corrupted length fields and inserted bytes.
/// Only DicomParseException may escape. Bounded by an iteration count (default 3,000, a few seconds); a longer campaign:
/// <c>TRIALFLOW_FUZZ_ITERATIONS=1000000 TRIALFLOW_FUZZ_SEED=7 dotnet test tests/TrialFlow.Dicom.Tests --filter Fuzz</c>.
/// </summary>
public sealed class MutationFuzzTests
{
    [Fact]
    public void Fuzz_mutated_corpus_files_only_ever_raise_DicomParseException()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("TRIALFLOW_FUZZ_ITERATIONS"), out var n) ? n : 3000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TRIALFLOW_FUZZ_SEED"), out var s) ? s : 20261128;
        var rng = new Random(seed);
        var seeds = Corpus.AllFiles.Where(f => !Corpus.IsNotDicom(f))
            .Select(f => File.ReadAllBytes(Corpus.PathOf(f)))
            .Where(b => b.Length < 300_000)
            .ToArray();
        Assert.NotEmpty(seeds);
        var parsed = 0;
        var scratch = Path.Combine(Path.GetTempPath(), $"trialflow-fuzz-{Guid.NewGuid():N}.dcm");
        // every 8th input goes through a file with tiny deferral and header-only reads, the paths a stream never takes
        var fromFile = new DicomReadOptions { DeferValuesLongerThan = 16 };
        for (var i = 0; i < iterations; i++)
        {
            var input = Mutate(seeds[rng.Next(seeds.Length)], rng);
            try
            {
                DicomFile file;
                if (i % 8 == 0)
                {
                    File.WriteAllBytes(scratch, input);
                    _ = DicomFileReader.Read(scratch, DicomReadOptions.HeaderOnlyOptions);
                    file = DicomFileReader.Read(scratch, fromFile);
                }
                else
                {
                    file = DicomFileReader.Read(new MemoryStream(input));
                }
                _ = DicomJsonWriter.Write(file.Dataset); // decoding every value must not throw either
                _ = DicomTextDump.Write(file);
                parsed++;
            }
            catch (DicomParseException)
            {
            }
            catch (Exception ex)
            {
                var path = Path.Combine(Path.GetTempPath(), $"trialflow-fuzz-crash-{seed}-{i}.dcm");
                File.WriteAllBytes(path, input);
                Assert.Fail($"iteration {i} (seed {seed}) raised {ex.GetType().Name}: {ex.Message}; input saved to {path}\n{ex.StackTrace}");
            }
        }
        File.Delete(scratch);
        Assert.True(parsed > 0, "no mutated file was readable: the mutations are too destructive to test much");
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        var data = original.ToList();
        var count = rng.Next(1, 4);
        for (var k = 0; k < count && data.Count > 0; k++)
        {
            var at = rng.Next(data.Count);
            switch (rng.Next(5))
            {
                case 0: // bit flip
                    data[at] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1: // truncation
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 2: // corrupt a 16- or 32-bit length-like field with an extreme value
                    var value = rng.Next(4) switch { 0 => 0xFFFFFFFFu, 1 => 0x7FFFFFFFu, 2 => (uint)rng.Next(), _ => 0xFFFEu };
                    for (var b = 0; b < 4 && at + b < data.Count; b++) data[at + b] = (byte)(value >> (8 * b));
                    break;
                case 3: // insert bytes
                    var insert = new byte[rng.Next(1, 9)];
                    rng.NextBytes(insert);
                    data.InsertRange(at, insert);
                    break;
                default: // delete a few bytes
                    data.RemoveRange(at, Math.Min(rng.Next(1, 9), data.Count - at));
                    break;
            }
        }
        return [.. data];
    }
}
