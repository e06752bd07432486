using System.Security.Cryptography;

namespace TrialFlow.Web.Tests.Api;

/// <summary>STOW-RS and resumable uploads, end to end: HTTP in, de-identified object in the archive index.</summary>
[Collection(AppCollection.Name)]
public sealed class IntakeChannelTests(TrialFlowApp app)
{
    [Fact]
    public async Task Stow_rs_stages_readable_parts_and_reports_unreadable_ones_in_the_failed_sequence()
    {
        using var client = await app.ClientAsync("t-siteuser");
        var study = $"1.2.826.0.1.3680043.9.{Random.Shared.Next(1, int.MaxValue)}";
        using var body = new MultipartContent("related", "TRIALFLOW-BOUNDARY");
        body.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        body.Add(DicomPart(DicomSamples.CtImage(study: study)));
        body.Add(DicomPart("not a DICOM object at all"u8.ToArray()));

        using var response = await client.PostAsync("/dicomweb/studies", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var referenced = json.RootElement.GetProperty("00081199").GetProperty("Value");
        var failed = json.RootElement.GetProperty("00081198").GetProperty("Value");
        Assert.Equal($"{study}.1.1", referenced[0].GetProperty("00081155").GetProperty("Value")[0].GetString());
        Assert.Equal(0xC000, failed[0].GetProperty("00081197").GetProperty("Value")[0].GetInt32());
        Assert.True(response.Headers.Contains("Warning"));

        var receipt = (await app.WaitForReceiptsAsync(r => r.Channel == IntakeChannel.StowRs && r.Sender == "Test SiteUser" && r.InstanceId != null))[0];
        Assert.Equal(IntakeOutcome.Archived, receipt.Outcome);
    }

    [Fact]
    public async Task Stow_rs_refuses_a_body_that_is_not_multipart_related()
    {
        using var client = await app.ClientAsync("t-siteuser");

        using var response = await client.PostAsync("/dicomweb/studies", new ByteArrayContent(DicomSamples.CtImage()) { Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") } });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task An_upload_resumes_after_a_dropped_chunk_and_the_submitted_session_reports_each_file()
    {
        using var client = await app.ClientAsync("t-siteuser");
        var subject = await app.QueryAsync(db => db.Subjects.Where(s => s.SubjectKey == "101-001").Select(s => s.Id).SingleAsync());
        var session = await (await client.PostAsJsonAsync("/api/uploads", new { siteId = app.Sites["101"], subjectId = subject, channel = "Cli" }))
            .Content.ReadFromJsonAsync<SessionDto>();
        var file = DicomSamples.CtImage(study: $"1.2.826.0.1.3680043.8.{Random.Shared.Next(1, int.MaxValue)}");
        var half = file.Length / 2;

        Assert.Equal(half, (await PutChunkAsync(client, session!.Id, "f-1", file, 0, half)).Received);
        // The connection drops; the client asks where to resume and sends the rest.
        var resumeAt = (await client.GetFromJsonAsync<ProgressDto>($"/api/uploads/{session.Id}/files/f-1"))!.Received;
        var wrongOffset = await client.PutAsync($"/api/uploads/{session.Id}/files/f-1", Chunk(file, 0, 10, file.Length));
        Assert.Equal(HttpStatusCode.Conflict, wrongOffset.StatusCode);
        Assert.Equal(file.Length, (await PutChunkAsync(client, session.Id, "f-1", file, resumeAt, file.Length - half)).Received);
        var complete = await client.PostAsJsonAsync($"/api/uploads/{session.Id}/files/f-1/complete", new { size = file.Length, sha256 = Convert.ToHexStringLower(SHA256.HashData(file)) });
        Assert.Equal(HttpStatusCode.Accepted, complete.StatusCode);

        // Intake settles the file in the background; submit answers 202 until it has.
        var submitted = await (await new UploadClient(client).SubmitWhenSettledAsync(session.Id)).Content.ReadFromJsonAsync<SessionDto>();

        Assert.Equal(("Submitted", 1, 1), (submitted!.Status, submitted.FilesReceived, submitted.Archived));
        Assert.Equal("f-1", Assert.Single(submitted.Files).FileId);
        // Submitting completed the study; QC (woken by its StudyCompleted event) may already have moved it on.
        var completedAt = await app.QueryAsync(db => db.IntakeReceipts.Where(r => r.UploadSessionId == session.Id)
            .Join(db.Studies, r => r.StudyId, s => s.Id, (_, s) => s.CompletedAt).SingleAsync());
        Assert.NotNull(completedAt);
    }

    [Fact]
    public async Task A_declared_size_that_does_not_match_is_refused_with_what_is_missing()
    {
        using var client = await app.ClientAsync("t-siteuser");
        var session = await (await client.PostAsJsonAsync("/api/uploads", new { siteId = app.Sites["101"] })).Content.ReadFromJsonAsync<SessionDto>();
        var file = DicomSamples.CtImage();
        await PutChunkAsync(client, session!.Id, "f-2", file, 0, 100);

        var complete = await client.PostAsJsonAsync($"/api/uploads/{session.Id}/files/f-2/complete", new { size = file.Length });

        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
        Assert.Contains("100 bytes received", await complete.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_site_user_cannot_upload_to_another_site()
    {
        using var client = await app.ClientAsync("t-siteuser");

        var response = await client.PostAsJsonAsync("/api/uploads", new { siteId = app.Sites["201"] });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static ByteArrayContent DicomPart(byte[] bytes) => new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") } };

    private static ByteArrayContent Chunk(byte[] file, long from, int count, long total) => new(file.AsSpan((int)from, count).ToArray())
    {
        Headers = { ContentRange = new ContentRangeHeaderValue(from, from + count - 1, total) },
    };

    private static async Task<ProgressDto> PutChunkAsync(HttpClient client, Guid session, string fileId, byte[] file, long from, int count)
    {
        var response = await client.PutAsync($"/api/uploads/{session}/files/{fileId}", Chunk(file, from, count, file.Length));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ProgressDto>())!;
    }

    private sealed record SessionDto(Guid Id, string Status, int FilesReceived, int Archived, List<FileDto> Files);

    private sealed record FileDto(string? FileId, string Outcome, string? Reason);

    private sealed record ProgressDto(string FileId, long Received);
}
