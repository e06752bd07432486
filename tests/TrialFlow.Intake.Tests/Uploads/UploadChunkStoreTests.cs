using TrialFlow.Intake.Uploads;

namespace TrialFlow.Intake.Tests.Uploads;

/// <summary>
/// Issue 17: the chunk store keeps whole chunks only, fixes a file's total at its first chunk, and leaves nothing of a
/// refused or broken-off chunk; a completed file's chunks go once intake has it or refused it.
/// </summary>
public sealed class UploadChunkStoreTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"trialflow-uploads-{Guid.NewGuid():N}");
    private readonly Guid _session = Guid.NewGuid();
    private readonly UploadChunkStore _store;
    private readonly byte[] _file = RandomNumberGenerator.GetBytes(300);

    public UploadChunkStoreTests() => _store = new UploadChunkStore(new IntakeOptions
    {
        DataDirectory = _dataDirectory,
        StagingKey = RandomNumberGenerator.GetBytes(32),
        DefaultProfile = "unused.yaml",
        MaxObjectBytes = 1000,
    });

    [Fact]
    public async Task A_chunk_that_breaks_off_mid_way_leaves_nothing_and_the_file_resumes_after_the_last_whole_chunk()
    {
        await AppendAsync(0, 100);
        var kept = Stored();

        await Assert.ThrowsAsync<IOException>(() => _store.AppendAsync(_session, "f-1", new ChunkRange(100, 199, 300), new BreaksOffAfter(_file[100..200], 50), CancellationToken.None));

        Assert.Equal(kept, Stored());
        Assert.Equal(100, _store.Received(_session, "f-1"));
        Assert.Equal(200, await AppendAsync(100, 100));
    }

    [Fact]
    public async Task A_first_chunk_that_breaks_off_leaves_not_even_the_files_folder()
    {
        await Assert.ThrowsAsync<IOException>(() => _store.AppendAsync(_session, "f-1", new ChunkRange(0, 99, 300), new BreaksOffAfter(_file[..100], 50), CancellationToken.None));

        Assert.Empty(Stored());
        Assert.Equal(0, _store.Received(_session, "f-1"));
    }

    [Fact]
    public async Task A_file_declared_larger_than_intake_accepts_is_refused_before_anything_is_written()
    {
        var refused = await Assert.ThrowsAsync<UploadTooLargeException>(() =>
            _store.AppendAsync(_session, "f-1", new ChunkRange(0, 9, 1001), new MemoryStream(new byte[10]), CancellationToken.None));

        Assert.Equal((1001, 1000), (refused.Declared, refused.Limit));
        Assert.Empty(Stored());
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a b")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task A_file_id_that_cannot_name_a_folder_is_refused_by_every_operation(string fileId)
    {
        Assert.Throws<InvalidFileIdException>(() => _store.Received(_session, fileId));
        await Assert.ThrowsAsync<InvalidFileIdException>(() => _store.AppendAsync(_session, fileId, new ChunkRange(0, 9, 10), new MemoryStream(new byte[10]), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidFileIdException>(() => _store.CompleteAsync(_session, fileId, 10, null, (_, _) => Task.CompletedTask, CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(_dataDirectory, "uploads")));
    }

    [Fact]
    public async Task Completing_a_file_short_of_its_declared_total_keeps_its_chunks_for_the_rest()
    {
        await AppendAsync(0, 100);

        var refused = await Assert.ThrowsAsync<UploadChunkException>(() => _store.CompleteAsync(_session, "f-1", 300, null, (_, _) => Task.CompletedTask, CancellationToken.None));

        Assert.Equal(100, refused.Received);
        Assert.Equal(100, _store.Received(_session, "f-1"));
    }

    [Fact]
    public async Task A_complete_file_is_handed_off_whole_and_then_its_chunks_are_gone()
    {
        await AppendAsync(0, 100);
        await AppendAsync(100, 200);
        byte[]? handedOff = null;

        await _store.CompleteAsync(_session, "f-1", 300, Convert.ToHexStringLower(SHA256.HashData(_file)), async (file, ct) =>
        {
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, ct);
            handedOff = copy.ToArray();
        }, CancellationToken.None);

        Assert.Equal(_file, handedOff);
        Assert.Empty(Stored());
    }

    [Fact]
    public async Task A_file_whose_bytes_do_not_match_the_declared_hash_is_discarded_so_it_can_be_sent_again_from_the_start()
    {
        await AppendAsync(0, 300);
        var handedOff = false;

        var refused = await Assert.ThrowsAsync<UploadChunkException>(() => _store.CompleteAsync(_session, "f-1", 300, new string('0', 64), (_, _) =>
        {
            handedOff = true;
            return Task.CompletedTask;
        }, CancellationToken.None));

        Assert.False(handedOff);
        Assert.Equal(0, refused.Received);
        Assert.Equal(0, _store.Received(_session, "f-1"));
    }

    [Fact]
    public async Task A_file_intake_refuses_at_the_door_is_discarded_and_one_that_failed_otherwise_is_kept_to_complete_again()
    {
        await AppendAsync(0, 300);

        await Assert.ThrowsAsync<TimeoutException>(() => _store.CompleteAsync(_session, "f-1", 300, null, (_, _) => throw new TimeoutException("database busy"), CancellationToken.None));
        Assert.Equal(300, _store.Received(_session, "f-1"));

        await Assert.ThrowsAsync<IntakeRejectedException>(() => _store.CompleteAsync(_session, "f-1", 300, null, (_, _) => throw new IntakeRejectedException(TrialFlow.Dicom.Network.DicomStatus.CannotUnderstand, "not a readable DICOM object"), CancellationToken.None));
        Assert.Empty(Stored());
    }

    private Task<long> AppendAsync(int from, int count) =>
        _store.AppendAsync(_session, "f-1", new ChunkRange(from, from + count - 1, _file.Length), new MemoryStream(_file[from..(from + count)]), CancellationToken.None);

    /// <summary>Every file (with its size) and folder under the session's upload folder.</summary>
    private List<string> Stored()
    {
        var folder = Path.Combine(_dataDirectory, "uploads", _session.ToString("N"));
        return Directory.Exists(folder)
            ? Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
                .Select(p => File.Exists(p) ? $"{Path.GetRelativePath(folder, p)} ({new FileInfo(p).Length} bytes)" : Path.GetRelativePath(folder, p) + "/")
                .Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>A request body whose connection drops after <paramref name="count"/> bytes.</summary>
    private sealed class BreaksOffAfter(byte[] bytes, int count) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= count ? throw new IOException("the connection was reset") : base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, count - Position)], cancellationToken);
    }
}
