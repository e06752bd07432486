namespace TrialFlow.Web.Tests.Security;

/// <summary>
/// Cross-site request forgery: a page on another site makes the browser send its TrialFlow cookie with a
/// state-changing request. SameSite alone did not stop it; the Origin (or Referer) check does.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CrossSiteRequestTests(TrialFlowApp app)
{
    private const string Evil = "http://evil.example";
    private const string Refused = "Cross-site request refused";

    /// <summary>One state-changing route of each API group, with the role allowed to call it. The body is never read when refused.</summary>
    public static TheoryData<string, string, string> StateChangingRoutes => new()
    {
        { "t-siteuser", "POST", "/api/uploads" },
        { "t-siteuser", "POST", $"/api/uploads/{Guid.NewGuid()}/submit" },
        { "t-siteuser", "PUT", $"/api/uploads/{Guid.NewGuid()}/files/f-1" },
        { "t-siteuser", "POST", "/dicomweb/studies" },
        { "t-monitor", "POST", "/api/queries" },
        { "t-datamanager", "POST", "/api/quarantine/release" },
        { "t-studymanager", "POST", $"/api/review/tasks/{Guid.NewGuid()}/reassign" },
        { "t-studymanager", "POST", "/api/trials/{trial}/review/pool" },
        { "t-administrator", "POST", "/api/users" },
        { "t-administrator", "DELETE", "/api/users/nobody/roles/Reader" },
        { "t-qclead", "POST", "/api/qc/ruleset/validate" },
        { "t-datamanager", "PUT", $"/api/subjects/{Guid.NewGuid()}/status" },
        { "t-datamanager", "POST", "/api/trials/{trial}/edc/registry/import" },
        // Workflows have no HTTP API: the designer publishes through the interactive (Blazor) circuit.
    };

    [Theory]
    [MemberData(nameof(StateChangingRoutes))]
    public async Task A_cookie_request_from_another_site_is_refused_with_403(string user, string method, string path)
    {
        using var browser = await app.BrowserClientAsync(user);

        var response = await browser.SendAsync(Request(method, path, origin: Evil));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains(Refused, problem);
        Assert.Contains(Evil, problem);
    }

    [Theory]
    [MemberData(nameof(StateChangingRoutes))]
    public async Task A_cookie_request_from_the_hosts_own_pages_is_let_through(string user, string method, string path)
    {
        using var browser = await app.BrowserClientAsync(user);

        var response = await browser.SendAsync(Request(method, path, origin: app.Origin));

        // The malformed body is the handler's to refuse (400, 404, 415): it got past the origin check.
        Assert.DoesNotContain(Refused, await response.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_site_user_opens_an_upload_from_the_hosts_own_pages_but_not_from_another_site()
    {
        using var browser = await app.BrowserClientAsync("t-siteuser");

        var fromEvil = await browser.SendAsync(OpenUpload(origin: Evil));
        var fromOwnPages = await browser.SendAsync(OpenUpload(origin: app.Origin));

        Assert.Equal(HttpStatusCode.Forbidden, fromEvil.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fromOwnPages.StatusCode);
    }

    [Fact]
    public async Task A_bearer_token_client_is_not_concerned_by_the_origin()
    {
        using var client = await app.ClientAsync("t-siteuser");

        var response = await client.SendAsync(OpenUpload(origin: Evil));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Without_Origin_the_Referer_decides()
    {
        using var browser = await app.BrowserClientAsync("t-siteuser");

        var fromEvil = OpenUpload(origin: null);
        fromEvil.Headers.Referrer = new Uri($"{Evil}/phishing/page.html");
        var fromOwnPages = OpenUpload(origin: null);
        fromOwnPages.Headers.Referrer = new Uri(app.BaseAddress, "/upload");

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(fromEvil)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(fromOwnPages)).StatusCode);
    }

    [Fact]
    public async Task A_cookie_request_with_neither_Origin_nor_Referer_is_refused()
    {
        using var browser = await app.BrowserClientAsync("t-siteuser");

        var response = await browser.SendAsync(OpenUpload(origin: null));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("neither Origin nor Referer", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_sandboxed_page_with_a_null_origin_is_refused()
    {
        using var browser = await app.BrowserClientAsync("t-siteuser");

        var response = await browser.SendAsync(OpenUpload(origin: "null"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Signing_in_through_a_form_on_another_site_is_refused_while_API_clients_without_Origin_get_tokens()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var forged = Request("POST", "/account/login", origin: Evil);
        forged.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "t-siteuser", ["password"] = TrialFlowApp.Password });

        var token = await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = "t-siteuser", password = TrialFlowApp.Password });

        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.SendAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    private HttpRequestMessage OpenUpload(string? origin)
    {
        var request = Request("POST", "/api/uploads", origin);
        request.Content = JsonContent.Create(new { siteId = app.Sites["101"], channel = "BrowserUpload" });
        return request;
    }

    private HttpRequestMessage Request(string method, string path, string? origin)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{trial}", app.TrialId.ToString()))
        {
            Content = new StringContent("not json", Encoding.UTF8, "application/json"),
        };
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        return request;
    }
}
