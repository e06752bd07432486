namespace TrialFlow.Web.Tests.Support;

/// <summary>The upload API's requests as a client sends them, raw enough for tests to send what a broken client would.</summary>
public sealed class UploadClient(HttpClient http)
{
    /// <param name="purpose">Subject, or Qualification for a scanner qualification scan.</param>
    public async Task<Guid> OpenAsync(Guid siteId, string purpose = "Subject")
    {
        using var response = await http.PostAsJsonAsync("/api/uploads", new { siteId, channel = "Cli", purpose });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>PUTs <paramref name="body"/> with the Content-Range header exactly as given, valid or not.</summary>
    public Task<HttpResponseMessage> PutAsync(Guid session, string fileId, byte[] body, string contentRange)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        return http.PutAsync($"/api/uploads/{session}/files/{fileId}", content);
    }

    /// <summary>PUTs bytes <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> − 1 of <paramref name="file"/>, as declared.</summary>
    public Task<HttpResponseMessage> PutChunkAsync(Guid session, string fileId, byte[] file, int from, int count) =>
        PutAsync(session, fileId, file[from..(from + count)], $"bytes {from}-{from + count - 1}/{file.Length}");

    public Task<HttpResponseMessage> ProgressAsync(Guid session, string fileId) => http.GetAsync($"/api/uploads/{session}/files/{fileId}");

    public async Task<long> ReceivedAsync(Guid session, string fileId)
    {
        using var response = await ProgressAsync(session, fileId);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("received").GetInt64();
    }

    public Task<HttpResponseMessage> CompleteAsync(Guid session, string fileId, long size) =>
        http.PostAsJsonAsync($"/api/uploads/{session}/files/{fileId}/complete", new { size });

    public Task<HttpResponseMessage> SubmitAsync(Guid session) => http.PostAsync($"/api/uploads/{session}/submit", null);

    public Task<HttpResponseMessage> SessionAsync(Guid session) => http.GetAsync($"/api/uploads/{session}");

    /// <summary>
    /// Submits, and while the answer is 202 (intake still processing) submits again, bounded; returns the final answer.
    /// Intake works in the background; tests never assert on how long it took.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitWhenSettledAsync(Guid session)
    {
        // Bounded by the Web tests' one wait bound (Browsers.Timeout): intake is slow on a busy machine, never wrong.
        var deadline = DateTime.UtcNow + Browsers.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var response = await SubmitAsync(session);
            if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
                return response;
            response.Dispose();
            await Task.Delay(100);
        }

        throw new TimeoutException($"intake did not settle upload session {session} within {Browsers.Timeout.TotalSeconds:0} s ({Browsers.TimeoutVariable})");
    }
}
