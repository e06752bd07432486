using TrialFlow.Intake;

namespace TrialFlow.Web.Tests.Api;

/// <summary>
/// Issue 17: the upload API keeps a chunk only if it is exactly what its Content-Range declares, within the size intake
/// accepts and the total its file declared first; parallel chunks of one file take turns; a bad file id is a 400.
/// A refused chunk leaves nothing on disk.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class UploadChunkTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_chunk_declaring_a_file_larger_than_intake_accepts_is_413_and_leaves_nothing_on_disk()
    {
        var (uploads, session) = await OpenAsync();
        var limit = app.Services.GetRequiredService<IntakeOptions>().MaxObjectBytes;

        using var response = await uploads.PutAsync(session, "f-big", new byte[10], $"bytes 0-9/{limit + 1}");

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "at most");
        Assert.Empty(StoredUnder(session));
        Assert.Equal(0, await uploads.ReceivedAsync(session, "f-big"));
    }

    [Theory]
    [InlineData(65_536, "more than the 10 bytes")]
    [InlineData(5, "carried 5 bytes")]
    public async Task A_chunk_whose_body_is_not_the_length_its_content_range_declares_is_400_and_leaves_nothing(int bodyLength, string problem)
    {
        var (uploads, session) = await OpenAsync();

        using var response = await uploads.PutAsync(session, "f-1", new byte[bodyLength], "bytes 0-9/10");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, problem);
        Assert.Empty(StoredUnder(session));
        Assert.Equal(0, await uploads.ReceivedAsync(session, "f-1"));
    }

    [Fact]
    public async Task A_chunk_whose_body_is_not_its_declared_length_after_kept_chunks_leaves_those_chunks_as_they_were()
    {
        var (uploads, session) = await OpenAsync();
        var file = DicomSamples.CtImage();
        (await uploads.PutChunkAsync(session, "f-1", file, 0, 100)).EnsureSuccessStatusCode();
        var kept = StoredUnder(session);

        using var response = await uploads.PutAsync(session, "f-1", new byte[150], $"bytes 100-199/{file.Length}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "more than the 100 bytes");
        Assert.Equal(kept, StoredUnder(session));
        Assert.Equal(100, await uploads.ReceivedAsync(session, "f-1"));
    }

    [Fact]
    public async Task A_chunk_ending_past_its_declared_total_is_400()
    {
        var (uploads, session) = await OpenAsync();

        using var response = await uploads.PutAsync(session, "f-1", new byte[10], "bytes 0-9/5");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(StoredUnder(session));
    }

    [Fact]
    public async Task A_later_chunk_declaring_another_total_than_the_first_is_400_and_the_file_keeps_its_progress()
    {
        var (uploads, session) = await OpenAsync();
        var file = DicomSamples.CtImage();
        (await uploads.PutChunkAsync(session, "f-1", file, 0, 100)).EnsureSuccessStatusCode();

        using var response = await uploads.PutAsync(session, "f-1", file[100..200], $"bytes 100-199/{file.Length + 1000}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, $"declared a file of {file.Length:N0} bytes");
        Assert.Equal(100, await uploads.ReceivedAsync(session, "f-1"));
    }

    [Fact]
    public async Task Completing_with_another_size_than_the_chunks_declared_is_409_and_the_chunks_stay_for_a_resume()
    {
        var (uploads, session) = await OpenAsync();
        var file = DicomSamples.CtImage();
        (await uploads.PutChunkAsync(session, "f-1", file, 0, 100)).EnsureSuccessStatusCode();

        using var response = await uploads.CompleteAsync(session, "f-1", 100);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, $"declared a file of {file.Length:N0} bytes");
        Assert.Equal(100, await uploads.ReceivedAsync(session, "f-1"));
    }

    [Fact]
    public async Task Three_parallel_puts_of_the_first_chunk_keep_one_answer_the_others_409_and_the_file_still_completes()
    {
        var (uploads, session) = await OpenAsync();
        var file = DicomSamples.CtImage(study: $"1.2.826.0.1.3680043.17.{Random.Shared.Next(1, int.MaxValue)}", size: 200);
        var half = file.Length / 2;

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => uploads.PutChunkAsync(session, "f-1", file, 0, half)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            await AssertProblemAsync(conflict, HttpStatusCode.Conflict, $"resume from byte {half}");
        Assert.Equal(half, await uploads.ReceivedAsync(session, "f-1"));
        (await uploads.PutChunkAsync(session, "f-1", file, half, file.Length - half)).EnsureSuccessStatusCode();
        using var complete = await uploads.CompleteAsync(session, "f-1", file.Length);
        Assert.Equal(HttpStatusCode.Accepted, complete.StatusCode);
        Assert.Empty(StoredUnder(session));
        foreach (var response in responses)
            response.Dispose();
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("..%2F..%2Fx")]
    [InlineData("a%20b")]
    public async Task A_file_id_that_cannot_name_a_file_is_400_on_every_file_request(string fileId)
    {
        var (uploads, session) = await OpenAsync();

        using var put = await uploads.PutAsync(session, fileId, new byte[10], "bytes 0-9/10");
        using var progress = await uploads.ProgressAsync(session, fileId);
        using var complete = await uploads.CompleteAsync(session, fileId, 10);

        foreach (var response in new[] { put, progress, complete })
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, "is not a valid file id");
        Assert.Empty(StoredUnder(session));
    }

    private async Task<(UploadClient Uploads, Guid Session)> OpenAsync()
    {
        var uploads = new UploadClient(await app.ClientAsync("t-siteuser"));
        return (uploads, await uploads.OpenAsync(app.Sites["101"]));
    }

    /// <summary>Every file and folder in the session's upload folder, with its size: what the chunk store kept.</summary>
    private List<string> StoredUnder(Guid session)
    {
        var folder = Path.Combine(app.Services.GetRequiredService<IntakeOptions>().DataDirectory, "uploads", session.ToString("N"));
        return Directory.Exists(folder)
            ? Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
                .Select(p => File.Exists(p) ? $"{Path.GetRelativePath(folder, p)} ({new FileInfo(p).Length} bytes)" : Path.GetRelativePath(folder, p) + "/")
                .Order(StringComparer.Ordinal).ToList()
            : [];
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString());
    }
}
