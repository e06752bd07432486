namespace TrialFlow.Intake.Tests.Staging;

public sealed class StagingLogTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"trialflow-staging-log-{Guid.NewGuid():N}");
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData(0)]
    [InlineData(40_000)]
    [InlineData((1 << 20) + 3)]
    public async Task What_is_written_reads_back_identically(int size)
    {
        using var log = new StagingLog(_directory, _key);
        var content = RandomNumberGenerator.GetBytes(size);

        var name = await log.WriteAsync(EncryptedBlobStore.NewName(), "header"u8.ToArray(), new MemoryStream(content), CancellationToken.None);
        var (header, read) = await log.ReadAsync(name, CancellationToken.None);

        Assert.Equal("header"u8.ToArray(), header);
        Assert.Equal(content, read.ToArray());
    }

    [Fact]
    public async Task Identified_bytes_never_reach_the_disk_in_clear()
    {
        using var log = new StagingLog(_directory, _key);

        await log.WriteAsync(EncryptedBlobStore.NewName(), "MRN-CANARY-1"u8.ToArray(), new MemoryStream("PATIENT^CANARY^7731"u8.ToArray()), CancellationToken.None);

        var segment = await File.ReadAllBytesAsync(Directory.GetFiles(_directory, "*.seg").Single());
        Assert.Equal(-1, segment.AsSpan().IndexOf("CANARY"u8));
    }

    [Fact]
    public async Task Staged_objects_survive_a_restart_in_arrival_order()
    {
        var names = new List<string>();
        using (var log = new StagingLog(_directory, _key))
        {
            for (var i = 0; i < 4; i++)
                names.Add(await log.WriteAsync(EncryptedBlobStore.NewName(), new[] { (byte)i }, new MemoryStream([(byte)(10 + i)]), CancellationToken.None));
        }

        using var reopened = new StagingLog(_directory, _key);

        Assert.Equal(names, reopened.List());
        Assert.Equal([12], (await reopened.ReadAsync(names[2], CancellationToken.None)).Content.ToArray());
    }

    [Fact]
    public async Task A_record_cut_short_by_a_crash_is_dropped_and_the_ones_before_it_are_kept()
    {
        string first;
        using (var log = new StagingLog(_directory, _key))
        {
            first = await log.WriteAsync(EncryptedBlobStore.NewName(), Array.Empty<byte>(), new MemoryStream(new byte[5000]), CancellationToken.None);
            await log.WriteAsync(EncryptedBlobStore.NewName(), Array.Empty<byte>(), new MemoryStream(new byte[5000]), CancellationToken.None);
        }
        var path = Directory.GetFiles(_directory, "*.seg").Single();
        var bytes = await File.ReadAllBytesAsync(path);
        var firstRecordLength = bytes.Length / 2;
        await File.WriteAllBytesAsync(path, bytes[..(firstRecordLength + 3000)]);

        using var reopened = new StagingLog(_directory, _key);

        Assert.Equal([first], reopened.List());
        Assert.Equal(firstRecordLength, new FileInfo(path).Length);
    }

    [Fact]
    public async Task A_last_record_whose_length_reached_the_disk_but_not_all_its_bytes_is_dropped()
    {
        var names = new List<string>();
        using (var log = new StagingLog(_directory, _key))
        {
            for (var i = 0; i < 2; i++)
                names.Add(await log.WriteAsync(EncryptedBlobStore.NewName(), Array.Empty<byte>(), new MemoryStream(new byte[1000]), CancellationToken.None));
        }
        var path = Directory.GetFiles(_directory, "*.seg").Single();
        var bytes = await File.ReadAllBytesAsync(path);
        var end = Array.FindLastIndex(bytes, b => b != 0) + 1;
        // The segment is preallocated: the torn record's last bytes are zeros, not missing.
        Array.Clear(bytes, end - 200, 200);
        await File.WriteAllBytesAsync(path, bytes);

        using var reopened = new StagingLog(_directory, _key);

        Assert.Equal([names[0]], reopened.List());
    }

    [Fact]
    public async Task A_damaged_record_inside_a_segment_is_kept_and_fails_loudly_when_read()
    {
        var names = new List<string>();
        using (var log = new StagingLog(_directory, _key))
        {
            for (var i = 0; i < 3; i++)
                names.Add(await log.WriteAsync(EncryptedBlobStore.NewName(), Array.Empty<byte>(), new MemoryStream(new byte[1000]), CancellationToken.None));
        }
        var path = Directory.GetFiles(_directory, "*.seg").Single();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[200] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        using var reopened = new StagingLog(_directory, _key);

        Assert.Equal(names, reopened.List());
        var error = await Assert.ThrowsAsync<EncryptedBlobException>(() => reopened.ReadAsync(names[0], CancellationToken.None));
        Assert.Contains("fails authentication", error.Message);
        Assert.Equal(1000, (await reopened.ReadAsync(names[1], CancellationToken.None)).Content.Length);
    }

    [Fact]
    public async Task A_segment_whose_objects_are_all_settled_is_deleted_after_a_restart()
    {
        using (var log = new StagingLog(_directory, _key))
        {
            var name = await log.WriteAsync(EncryptedBlobStore.NewName(), Array.Empty<byte>(), new MemoryStream([1]), CancellationToken.None);
            log.Delete(name);
        }
        using (var reopened = new StagingLog(_directory, _key))
        {
            // Which objects were settled is not written down: the pipeline recognises them by their receipts.
            Assert.Single(reopened.List());
            reopened.Delete(reopened.List()[0]);
        }

        Assert.Empty(Directory.GetFiles(_directory, "*.seg"));
    }

    [Fact]
    public async Task Concurrent_writers_each_get_their_own_durable_object()
    {
        using var log = new StagingLog(_directory, _key);

        var names = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            log.WriteAsync(EncryptedBlobStore.NewName(), BitConverter.GetBytes(i), new MemoryStream(new byte[i * 37]), CancellationToken.None))));

        Assert.Equal(200, names.Distinct().Count());
        using var reopened = new StagingLog(_directory, _key);
        foreach (var name in names)
        {
            var (header, content) = await reopened.ReadAsync(name, CancellationToken.None);
            Assert.Equal(BitConverter.ToInt32(header) * 37, content.Length);
        }
    }

    [Fact]
    public async Task A_staged_object_moves_to_quarantine_still_encrypted_and_moving_it_again_is_harmless()
    {
        using var staging = new StagingArea(_directory, _key);
        var quarantine = new EncryptedBlobStore(Path.Combine(_directory, "quarantine"), _key);
        var name = await staging.WriteAsync("h"u8.ToArray(), new MemoryStream("PATIENT^CANARY"u8.ToArray()), CancellationToken.None);

        staging.MoveTo(name, quarantine);
        quarantine.Import(name, new byte[] { 1, 2, 3 });

        Assert.False(staging.Exists(name));
        Assert.Equal("PATIENT^CANARY"u8.ToArray(), (await quarantine.ReadAsync(name, CancellationToken.None)).Content.ToArray());
    }

    [Fact]
    public async Task A_very_large_object_is_staged_in_a_file_of_its_own()
    {
        using var staging = new StagingArea(_directory, _key);

        var name = await staging.WriteAsync(Array.Empty<byte>(), new NonSeekableStream(new byte[3 << 20]), CancellationToken.None);

        Assert.Single(Directory.GetFiles(_directory, "*.tfe"));
        Assert.Equal([name], staging.List());
        Assert.Equal(3 << 20, (await staging.ReadAsync(name, CancellationToken.None)).Content.Length);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A stream of unknown length, like an HTTP request body.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
