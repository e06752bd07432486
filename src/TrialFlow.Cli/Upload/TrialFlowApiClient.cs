using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFlow.Cli.Upload;

/// <summary>The slice of TrialFlow's REST API the CLI uses, with the same authorization as any other client.</summary>
internal sealed class TrialFlowApiClient(HttpClient http, BearerSessionHandler session) : IDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/token", new { userName, password }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new CliUsageException($"sign-in as {userName} refused: {await DetailAsync(response, cancellationToken)}");
        response.EnsureSuccessStatusCode();
        var tokens = (await response.Content.ReadFromJsonAsync<BearerSessionHandler.TokenResponse>(Json, cancellationToken))!;
        session.Use(tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresIn);
    }

    public async Task<(Guid SiteId, Guid? SubjectId, Guid? VisitId)> ResolveAsync(string siteNumber, string? subjectKey, string? visitKey, CancellationToken cancellationToken)
    {
        var trials = await GetAsync<List<IdDto>>("/api/trials", cancellationToken);
        foreach (var trial in trials)
        {
            var site = (await GetAsync<List<SiteDto>>($"/api/trials/{trial.Id}/sites", cancellationToken)).FirstOrDefault(s => s.SiteNumber == siteNumber);
            if (site is null)
                continue;
            if (subjectKey is null)
                return visitKey is null ? (site.Id, null, null) : throw new CliUsageException("--visit needs --subject.");
            var subject = (await GetAsync<List<SubjectDto>>($"/api/sites/{site.Id}/subjects", cancellationToken)).FirstOrDefault(s => s.SubjectKey == subjectKey)
                ?? throw new CliUsageException($"subject {subjectKey} is not registered at site {siteNumber}.");
            if (visitKey is null)
                return (site.Id, subject.Id, null);
            var detail = await GetAsync<SubjectDetailDto>($"/api/subjects/{subject.Id}", cancellationToken);
            var visit = detail.Visits.FirstOrDefault(v => v.VisitKey == visitKey)
                ?? throw new CliUsageException($"subject {subjectKey} has no recorded visit {visitKey} (recorded: {string.Join(", ", detail.Visits.Select(v => v.VisitKey))}).");
            return (site.Id, subject.Id, visit.Id);
        }

        throw new CliUsageException($"site {siteNumber} is not one of your sites.");
    }

    public async Task<Guid> OpenSessionAsync(Guid siteId, Guid? subjectId, Guid? visitId, bool qualification, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/uploads",
            new { siteId, subjectId, visitId, channel = "Cli", purpose = qualification ? "Qualification" : "Subject" }, Json, cancellationToken);
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<IdDto>(Json, cancellationToken))!.Id;
    }

    /// <summary>Sends a file in chunks, resuming from what the server has after any failure.</summary>
    public async Task UploadFileAsync(Guid session, string fileId, string path, int chunkSize, Action<long> progress, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var offset = (await GetAsync<ProgressDto>($"/api/uploads/{session}/files/{fileId}", cancellationToken)).Received;
        while (offset < bytes.Length)
        {
            var count = (int)Math.Min(chunkSize, bytes.Length - offset);
            using var chunk = new ByteArrayContent(bytes, (int)offset, count);
            chunk.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + count - 1, bytes.Length);
            using var response = await http.PutAsync($"/api/uploads/{session}/files/{fileId}", chunk, cancellationToken);
            await EnsureAsync(response, cancellationToken);
            offset = (await response.Content.ReadFromJsonAsync<ProgressDto>(Json, cancellationToken))!.Received;
            progress(count);
        }

        using var complete = await http.PostAsJsonAsync($"/api/uploads/{session}/files/{fileId}/complete",
            new { size = bytes.LongLength, sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) }, Json, cancellationToken);
        await EnsureAsync(complete, cancellationToken);
    }

    /// <summary>
    /// Submits the session. <c>Settled</c> is false when the server answered 202: intake is still processing
    /// <see cref="SessionDto.Processing"/> files; poll <see cref="GetSessionAsync"/> and submit again when that is 0.
    /// </summary>
    public async Task<(SessionDto Summary, bool Settled)> SubmitAsync(Guid session, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"/api/uploads/{session}/submit", null, cancellationToken);
        await EnsureAsync(response, cancellationToken);
        return ((await response.Content.ReadFromJsonAsync<SessionDto>(Json, cancellationToken))!, response.StatusCode != HttpStatusCode.Accepted);
    }

    public Task<SessionDto> GetSessionAsync(Guid session, CancellationToken cancellationToken) => GetAsync<SessionDto>($"/api/uploads/{session}", cancellationToken);

    /// <summary>The signed-in connection, for the commands that speak other parts of the API (pulls).</summary>
    internal HttpClient Http => http;

    public void Dispose() => http.Dispose();

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    internal static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
            throw new TrialFlowApiException(response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {await DetailAsync(response, cancellationToken)}");
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(text);
            return problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? text : text;
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private sealed record IdDto(Guid Id);

    private sealed record SiteDto(Guid Id, string SiteNumber);

    private sealed record SubjectDto(Guid Id, string SubjectKey);

    private sealed record VisitDto(Guid Id, string VisitKey);

    private sealed record SubjectDetailDto(Guid Id, List<VisitDto> Visits);

    private sealed record ProgressDto(string FileId, long Received);

    public sealed record FileOutcomeDto(string? FileId, string Outcome, string? Reason);

    public sealed record SessionDto(Guid Id, string Status, int FilesReceived, int Archived, int Duplicates, int Held, int Processing, List<FileOutcomeDto> Files);
}

/// <summary>The server refused a request; the message carries its problem detail.</summary>
internal sealed class TrialFlowApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
