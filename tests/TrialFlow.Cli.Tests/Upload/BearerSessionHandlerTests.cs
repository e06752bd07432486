using System.Net;
using System.Net.Http.Json;
using TrialFlow.Cli.Upload;

namespace TrialFlow.Cli.Tests.Upload;

public sealed class BearerSessionHandlerTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-07T09:00:00Z"));
    private readonly StubServer _server = new();

    [Fact]
    public async Task A_token_about_to_expire_is_renewed_with_the_refresh_token_before_the_next_request()
    {
        using var handler = new BearerSessionHandler(_clock, _server);
        using var client = new HttpClient(handler) { BaseAddress = new Uri("http://trialflow.test") };
        handler.Use("access-1", "refresh-1", expiresInSeconds: 900);

        await client.GetAsync("/api/trials");
        _clock.Advance(TimeSpan.FromMinutes(14));
        await client.GetAsync("/api/trials");

        Assert.Equal(["GET /api/trials Bearer access-1", "POST /api/auth/refresh", "GET /api/trials Bearer access-2"], _server.Requests);
        Assert.Contains("refresh-1", _server.RefreshBodies.Single());
    }

    [Fact]
    public async Task A_refused_renewal_stops_the_upload_with_the_reason_instead_of_sending_a_dead_token()
    {
        using var handler = new BearerSessionHandler(_clock, _server);
        using var client = new HttpClient(handler) { BaseAddress = new Uri("http://trialflow.test") };
        handler.Use("access-1", "refresh-1", expiresInSeconds: 900);
        _server.RefusesRefresh = true;
        _clock.Advance(TimeSpan.FromMinutes(15));

        var refused = await Assert.ThrowsAsync<TrialFlowApiException>(() => client.GetAsync("/api/trials"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.DoesNotContain(_server.Requests, r => r.StartsWith("GET", StringComparison.Ordinal));
    }

    /// <summary>Answers like TrialFlow: refresh gives the next numbered token pair, anything else 200.</summary>
    private sealed class StubServer : HttpMessageHandler
    {
        private int _issued = 1;

        public List<string> Requests { get; } = [];

        public List<string> RefreshBodies { get; } = [];

        public bool RefusesRefresh { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/api/auth/refresh")
            {
                Requests.Add("POST /api/auth/refresh");
                RefreshBodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
                if (RefusesRefresh)
                    return new HttpResponseMessage(HttpStatusCode.Unauthorized);
                _issued++;
                return new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = JsonContent.Create(new { tokenType = "Bearer", accessToken = $"access-{_issued}", expiresIn = 900, refreshToken = $"refresh-{_issued}" }),
                };
            }

            Requests.Add($"{request.Method} {request.RequestUri.AbsolutePath} {request.Headers.Authorization}");
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
