using System.Security.Cryptography;
using TrialFlow.Activation.Storage;

namespace TrialFlow.Activation.Tests.Activation;

/// <summary>Files kept as checklist evidence: stored once by their SHA-256, cited by the entry, and refused by name when they do not fit.</summary>
public sealed class EvidenceFileTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _directory = Directory.CreateTempSubdirectory("trialflow-evidence-").FullName;

    [Fact]
    public async Task A_file_is_stored_by_its_hash_once_and_the_checklist_entry_cites_it()
    {
        var files = new EvidenceFiles(_directory);
        var bytes = "%PDF-1.7 signed acknowledgement"u8.ToArray();

        var first = await files.SaveAsync("PI acknowledgement 801.pdf", new MemoryStream(bytes), None);
        var again = await files.SaveAsync("copy.pdf", new MemoryStream(bytes), None);

        Assert.Equal(("PI acknowledgement 801.pdf", Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)bytes.Length, "application/pdf"), (first.FileName, first.Sha256, first.Size, first.ContentType));
        Assert.Equal(first.Sha256, again.Sha256);
        Assert.Single(Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories));
        await using (var stored = files.OpenRead(first.Sha256))
        {
            using var copy = new MemoryStream();
            await stored.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }

        await using var f = await ActivationFixture.CreateAsync();
        await using var db = f.Db();
        var checklist = await f.Activation.CompleteItemAsync(db, f.LisbonId, "protocol-acknowledged", null, "signed 2026-06-02", None, first);
        var entry = Assert.Single(checklist.Items.Single(i => i.Definition.Key == "protocol-acknowledged").Entries);
        Assert.Equal(first, entry.File);
    }

    [Theory]
    [InlineData("agreement.exe", 10, "'agreement.exe' is not a kind of evidence file TrialFlow keeps")]
    [InlineData("empty.pdf", 0, "'empty.pdf' is empty.")]
    [InlineData("scan.pdf", EvidenceFiles.MaxBytes + 1, "'scan.pdf' is larger than 25 MiB, the most an evidence file may be.")]
    public async Task A_file_that_does_not_fit_is_refused_by_name_and_nothing_is_kept(string name, long size, string expected)
    {
        var files = new EvidenceFiles(_directory);

        var refused = await Assert.ThrowsAsync<ActivationException>(() => files.SaveAsync(name, new MemoryStream(new byte[size]), None));

        Assert.StartsWith(expected, refused.Message);
        Assert.Empty(Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
