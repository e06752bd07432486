using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace TrialFlow.Cli.Upload;

/// <summary>
/// Keeps the CLI signed in through an upload that outlasts an access token (the server issues them for 15 minutes):
/// a token that expires within a minute is exchanged for a new one with the refresh token before the next request
/// goes out. The server refuses the refresh once the user's roles, sites or password changed, the account was locked
/// or the user signed out; the upload then stops with that reason instead of sending with a dead token.
/// </summary>
internal sealed class BearerSessionHandler(TimeProvider time, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _renewing = new(1, 1);
    private Tokens? _tokens;

    /// <summary>Starts sending <paramref name="accessToken"/>, valid for <paramref name="expiresInSeconds"/>, renewed with <paramref name="refreshToken"/>.</summary>
    public void Use(string accessToken, string refreshToken, long expiresInSeconds) =>
        _tokens = new Tokens(accessToken, refreshToken, time.GetUtcNow().AddSeconds(expiresInSeconds));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_tokens is { } tokens)
        {
            if (time.GetUtcNow() >= tokens.ExpiresAt - RenewBeforeExpiry)
                tokens = await RenewAsync(tokens, request.RequestUri!, cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _renewing.Dispose();
        base.Dispose(disposing);
    }

    private async Task<Tokens> RenewAsync(Tokens stale, Uri server, CancellationToken cancellationToken)
    {
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            // Another request may have renewed them while this one waited.
            if (!ReferenceEquals(_tokens, stale))
                return _tokens!;
            using var refresh = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/api/auth/refresh"))
            {
                Content = JsonContent.Create(new { refreshToken = stale.RefreshToken }),
            };
            using var response = await base.SendAsync(refresh, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new TrialFlowApiException(response.StatusCode,
                    $"the session could not be renewed ({(int)response.StatusCode}): the account's roles, sites or password changed, it was locked, or it signed out; sign in again.");
            var renewed = (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))!;
            Use(renewed.AccessToken, renewed.RefreshToken, renewed.ExpiresIn);
            return _tokens!;
        }
        finally
        {
            _renewing.Release();
        }
    }

    private sealed record Tokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);

    internal sealed record TokenResponse(string AccessToken, string RefreshToken, long ExpiresIn);
}
