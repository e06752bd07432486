namespace TrialFlow.Intake.Tests.Staging;

public sealed class EncryptedBlobStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"trialflow-blobs-{Guid.NewGuid():N}");
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(1 << 20)]
    [InlineData((3 << 20) + 5)]
    public async Task What_is_written_reads_back_identically(int size)
    {
        var store = new EncryptedBlobStore(_directory, _key);
        var content = RandomNumberGenerator.GetBytes(size);

        var name = await store.WriteAsync("header"u8.ToArray(), new MemoryStream(content), CancellationToken.None);
        var (header, read) = await store.ReadAsync(name, CancellationToken.None);

        Assert.Equal("header"u8.ToArray(), header);
        Assert.Equal(content, read.ToArray());
    }

    [Fact]
    public async Task Identified_bytes_never_reach_the_disk_in_clear()
    {
        var store = new EncryptedBlobStore(_directory, _key);
        var phi = "PATIENT^CANARY^7731"u8.ToArray();

        await store.WriteAsync("MRN-CANARY-1"u8.ToArray(), new MemoryStream([.. phi, .. phi]), CancellationToken.None);

        foreach (var file in Directory.GetFiles(_directory))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(phi));
            Assert.Equal(-1, bytes.AsSpan().IndexOf("MRN-CANARY-1"u8));
        }
    }

    [Fact]
    public async Task A_flipped_bit_is_detected_and_names_the_chunk()
    {
        var store = new EncryptedBlobStore(_directory, _key);
        var name = await store.WriteAsync(Array.Empty<byte>(), new MemoryStream(new byte[4000]), CancellationToken.None);
        var path = Directory.GetFiles(_directory).Single();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^100] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var e = await Assert.ThrowsAsync<EncryptedBlobException>(() => store.ReadAsync(name, CancellationToken.None));
        Assert.Contains("chunk 1 fails authentication", e.Message);
    }

    [Fact]
    public async Task A_file_cut_at_a_chunk_boundary_is_detected()
    {
        var store = new EncryptedBlobStore(_directory, _key);
        var name = await store.WriteAsync(Array.Empty<byte>(), new MemoryStream(new byte[(2 << 20) + 10]), CancellationToken.None);
        var path = Directory.GetFiles(_directory).Single();
        var bytes = await File.ReadAllBytesAsync(path);
        // Drop the last chunk (4-byte length + 10 bytes + 16-byte tag): what remains ends on a valid-looking chunk.
        await File.WriteAllBytesAsync(path, bytes[..^30]);

        var e = await Assert.ThrowsAsync<EncryptedBlobException>(() => store.ReadAsync(name, CancellationToken.None));
        Assert.Contains("fails authentication", e.Message);
    }

    [Fact]
    public async Task Another_key_cannot_read_the_object()
    {
        var name = await new EncryptedBlobStore(_directory, _key).WriteAsync(new byte[] { 1, 2, 3 }, new MemoryStream([4, 5, 6]), CancellationToken.None);

        var other = new EncryptedBlobStore(_directory, RandomNumberGenerator.GetBytes(32));

        await Assert.ThrowsAsync<EncryptedBlobException>(() => other.ReadAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task Objects_list_in_the_order_they_were_written()
    {
        var store = new EncryptedBlobStore(_directory, _key);
        var names = new List<string>();
        for (var i = 0; i < 5; i++)
            names.Add(await store.WriteAsync(new[] { (byte)i }, new MemoryStream([]), CancellationToken.None));

        Assert.Equal(names, store.List());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
