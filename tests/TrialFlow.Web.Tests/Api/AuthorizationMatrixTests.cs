using Microsoft.AspNetCore.Routing;

namespace TrialFlow.Web.Tests.Api;

/// <summary>Who may call what. Each test walks every API endpoint, so an endpoint added later is covered too.</summary>
[Collection(AppCollection.Name)]
public sealed class AuthorizationMatrixTests(TrialFlowApp app)
{
    private static readonly HashSet<string> WriteMethods = ["POST", "PUT", "PATCH", "DELETE"];

    // Exchanging a password or a refresh token for an access token is how a caller signs in: anyone may try.
    private static readonly HashSet<string> SignInRoutes = ["/api/auth/token", "/api/auth/refresh"];

    [Fact]
    public async Task Anonymous_callers_get_401_from_every_api_endpoint_but_sign_in()
    {
        using var client = await app.ClientAsync();
        var endpoints = ApiEndpoints().Where(e => !SignInRoutes.Contains(e.Route)).ToList();
        Assert.NotEmpty(endpoints);

        foreach (var (method, route) in endpoints)
        {
            using var response = await client.SendAsync(Request(method, route));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {route} answered {(int)response.StatusCode} to an anonymous caller");
        }
    }

    [Fact]
    public async Task An_inspector_cannot_write_anything()
    {
        using var client = await app.ClientAsync("t-inspector");
        var writes = ApiEndpoints().Where(e => WriteMethods.Contains(e.Method) && !SignInRoutes.Contains(e.Route)).ToList();
        Assert.NotEmpty(writes);
        // The host's own work (intake, QC, workflows of other tests) goes on meanwhile: only the inspector's events count.
        var before = await app.QueryAsync(db => db.AuditEvents.MaxAsync(e => e.Sequence));

        foreach (var (method, route) in writes)
        {
            using var response = await client.SendAsync(Request(method, route));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {route} answered {(int)response.StatusCode} to an inspector");
        }

        Assert.Empty(await app.QueryAsync(db => db.AuditEvents.Where(e => e.Sequence > before && e.ActorRole == TrialFlowRoles.Inspector)
            .Select(e => $"{e.Action} {e.EntityType} {e.EntityId}").ToListAsync()));
    }

    [Fact]
    public async Task An_inspector_reads_the_trial_and_the_audit_trail()
    {
        using var client = await app.ClientAsync("t-inspector");

        // Every site, the demo's eight and those other tests of this host onboarded (this collection runs one test at a time).
        var all = await app.QueryAsync(db => db.Sites.Select(s => s.SiteNumber).OrderBy(n => n).ToListAsync());
        Assert.Equal(all, (await client.GetFromJsonAsync<List<SiteDto>>($"/api/trials/{app.TrialId}/sites"))!.Select(s => s.SiteNumber).Order());
        var verification = await client.GetFromJsonAsync<VerificationDto>("/api/audit/verify");
        Assert.True(verification!.IsIntact);
    }

    [Fact]
    public async Task A_site_user_of_site_101_never_gets_site_201_data()
    {
        using var client = await app.ClientAsync("t-siteuser");
        var paris = app.Sites["201"];
        var parisSubject = await app.QueryAsync(db => db.Subjects.Where(s => s.SiteId == paris).Select(s => s.Id).FirstAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/sites/{paris}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/sites/{paris}/subjects")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/subjects/{parisSubject}")).StatusCode);
        var sites = await client.GetFromJsonAsync<List<SiteDto>>($"/api/trials/{app.TrialId}/sites");
        Assert.Equal(["101"], sites!.Select(s => s.SiteNumber));
        var dashboard = await client.GetStringAsync($"/api/trials/{app.TrialId}/dashboard");
        // Not a bare "201": the dashboard's random GUIDs may contain those digits. Site 201's id, number and subject keys.
        Assert.DoesNotContain(paris.ToString(), dashboard, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"201\"", dashboard);
        Assert.DoesNotContain("\"201-", dashboard);
        Assert.DoesNotContain("Saint", dashboard);
    }

    [Fact]
    public async Task A_site_user_cannot_create_a_subject_at_another_site()
    {
        using var client = await app.ClientAsync("t-siteuser");

        using var response = await client.PostAsJsonAsync($"/api/sites/{app.Sites["201"]}/subjects", new { subjectKey = "201-777" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(await app.QueryAsync(db => db.Subjects.AnyAsync(s => s.SubjectKey == "201-777")));
    }

    [Fact]
    public async Task A_site_user_creates_a_subject_at_their_site_and_the_change_is_audited_with_their_name()
    {
        using var client = await app.ClientAsync("t-siteuser");

        using var response = await client.PostAsJsonAsync($"/api/sites/{app.Sites["101"]}/subjects", new { subjectKey = "101-900" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var e = await app.QueryAsync(db => db.AuditEvents.Where(e => e.EntityType == "Subject" && e.NewValues!.Contains("101-900")).SingleAsync());
        Assert.Equal(("Create", "Test SiteUser", "SiteUser", app.Sites["101"]), (e.Action, e.ActorName, e.ActorRole, e.SiteId!.Value));
    }

    [Fact]
    public async Task Blinded_readers_cannot_see_sites_or_subjects()
    {
        foreach (var reader in new[] { "t-reader", "t-adjudicator" })
        {
            using var client = await app.ClientAsync(reader);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/trials")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/sites/{app.Sites["101"]}/subjects")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit/events")).StatusCode);
        }
    }

    [Fact]
    public async Task Only_an_administrator_manages_users()
    {
        foreach (var user in new[] { "t-studymanager", "t-datamanager", "t-siteuser", "t-inspector" })
        {
            using var client = await app.ClientAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/users")).StatusCode);
        }

        using var admin = await app.ClientAsync("t-administrator");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task The_health_endpoint_and_the_openapi_document_are_public()
    {
        using var client = await app.ClientAsync();

        var health = await client.GetStringAsync("/health");
        var openApi = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"Healthy\"", health);
        Assert.Contains("/api/sites/{siteId}/subjects", openApi);
        Assert.Contains("/api/audit/verify", openApi);
    }

    private IEnumerable<(string Method, string Route)> ApiEndpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true
                || e.RoutePattern.RawText?.StartsWith("/dicomweb/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, Concrete(e.RoutePattern.RawText!))))
            .Distinct();

    /// <summary>Fills route parameters with plausible values: a random GUID, a number, a user id, a role name.</summary>
    private static string Concrete(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)(:[^}]*)?\}", m => (m.Groups[1].Value, m.Groups[2].Value) switch
        {
            (_, ":long" or ":int") => "1",
            ("role", _) => "QcLead",
            ("fileId", _) => "f-1",
            _ => Guid.NewGuid().ToString(),
        });

    private static HttpRequestMessage Request(string method, string route) => new(new HttpMethod(method), route)
    {
        Content = WriteMethods.Contains(method) ? new StringContent("""{"subjectKey":"X-1","status":"Enrolled","userName":"x","displayName":"x","role":"QcLead"}""", Encoding.UTF8, "application/json") : null,
    };

    private sealed record SiteDto(Guid Id, string SiteNumber);

    private sealed record VerificationDto(bool IsIntact, long EventsChecked);
}
