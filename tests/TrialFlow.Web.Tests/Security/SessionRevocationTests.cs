namespace TrialFlow.Web.Tests.Security;

/// <summary>
/// 21 CFR Part 11 §11.10(d), (g): a session ends when the user's authority changes. Each test makes its own user,
/// so revoking it disturbs no one else.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SessionRevocationTests(TrialFlowApp app)
{
    [Fact]
    public async Task An_access_token_lives_at_most_15_minutes_and_comes_with_a_refresh_token()
    {
        var user = await NewUserAsync(TrialFlowRoles.QcLead);

        var tokens = await TokensAsync(user);

        Assert.InRange(tokens.ExpiresIn, 1, 15 * 60);
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken));
    }

    [Fact]
    public async Task A_refresh_token_gives_a_new_access_token_until_the_users_stamp_changes()
    {
        var user = await NewUserAsync(TrialFlowRoles.Reader);
        var tokens = await TokensAsync(user);
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };

        var refreshed = await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var renewed = (await refreshed.Content.ReadFromJsonAsync<Tokens>())!;
        using (var client = Bearer(renewed.AccessToken))
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/review/tasks")).StatusCode);

        await RevokeRoleAsync(user, TrialFlowRoles.Reader);

        var afterRevocation = await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = renewed.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevocation.StatusCode);
    }

    [Fact]
    public async Task A_readers_old_token_gets_401_once_the_reader_role_is_removed_while_others_keep_working()
    {
        var reader = await NewUserAsync(TrialFlowRoles.Reader);
        var bystander = await NewUserAsync(TrialFlowRoles.Reader);
        using var readerClient = Bearer((await TokensAsync(reader)).AccessToken);
        using var bystanderClient = Bearer((await TokensAsync(bystander)).AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await readerClient.GetAsync("/api/review/tasks")).StatusCode);

        await RevokeRoleAsync(reader, TrialFlowRoles.Reader);

        var stale = await readerClient.GetAsync("/api/review/tasks");
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Contains("Session ended", await stale.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await bystanderClient.GetAsync("/api/review/tasks")).StatusCode);
    }

    [Fact]
    public async Task A_site_users_old_token_gets_401_once_the_site_membership_is_removed()
    {
        var site = app.Sites["101"];
        var siteUser = await NewUserAsync(TrialFlowRoles.SiteUser, site);
        var bystander = await NewUserAsync(TrialFlowRoles.SiteUser, site);
        using var client = Bearer((await TokensAsync(siteUser)).AccessToken);
        using var bystanderClient = Bearer((await TokensAsync(bystander)).AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/sites/{site}/subjects")).StatusCode);

        using (var admin = await app.ClientAsync("t-administrator"))
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{siteUser.Id}/sites/{site}")).StatusCode);

        // The token still names site 101 among its claims; the stamp check is what stops it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/sites/{site}/subjects")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bystanderClient.GetAsync($"/api/sites/{site}/subjects")).StatusCode);
    }

    [Fact]
    public async Task An_old_token_gets_401_once_the_password_is_changed()
    {
        var user = await NewUserAsync(TrialFlowRoles.QcLead);
        using var client = Bearer((await TokensAsync(user)).AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/trials")).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TrialFlow.Web.Security.HostActorAccessor>().Set(TrialFlow.Core.Access.Actor.System("tests"));
            var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
            var changed = await users.ChangePasswordAsync((await users.FindByIdAsync(user.Id))!, user.Password, "Another-Horse-Battery-43");
            Assert.True(changed.Succeeded);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/trials")).StatusCode);
    }

    [Fact]
    public async Task An_old_token_gets_401_once_repeated_wrong_passwords_lock_the_account()
    {
        var user = await NewUserAsync(TrialFlowRoles.QcLead);
        using var client = Bearer((await TokensAsync(user)).AccessToken);
        using var guesser = new HttpClient { BaseAddress = app.BaseAddress };

        for (var attempt = 0; attempt < 5; attempt++)
            await guesser.PostAsJsonAsync("/api/auth/token", new { userName = user.UserName, password = "wrong-password-guess" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/trials")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_with_a_token_ends_that_token()
    {
        var user = await NewUserAsync(TrialFlowRoles.QcLead);
        using var client = Bearer((await TokensAsync(user)).AccessToken);

        await client.PostAsync("/account/logout", null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/trials")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_in_the_browser_ends_a_copy_of_the_cookie_and_the_users_tokens()
    {
        var user = await NewUserAsync(TrialFlowRoles.QcLead);
        using var token = Bearer((await TokensAsync(user)).AccessToken);
        var cookies = new CookieContainer();
        using var browser = await app.BrowserClientAsync(user.UserName, user.Password, cookies);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/trials")).StatusCode);
        // What a thief would copy out of the browser.
        var copiedCookie = cookies.GetCookieHeader(app.BaseAddress);

        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/account/logout");
        signOut.Headers.Add("Origin", app.Origin);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SendAsync(signOut)).StatusCode);

        using var thief = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/trials");
        api.Headers.Add("Cookie", copiedCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.SendAsync(api)).StatusCode);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", copiedCookie);
        var redirected = await thief.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Contains("/account/login", redirected.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/trials")).StatusCode);
    }

    private async Task<NewUser> NewUserAsync(string role, params Guid[] sites)
    {
        using var admin = await app.ClientAsync("t-administrator");
        var userName = $"t-session-{Guid.NewGuid():N}"[..24];
        var response = await admin.PostAsJsonAsync("/api/users", new { userName, displayName = $"Session {role}", role, sites, trials = new[] { app.TrialId } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<CreatedDto>())!;
        return new NewUser(created.User.Id, userName, created.InitialPassword);
    }

    private async Task RevokeRoleAsync(NewUser user, string role)
    {
        using var admin = await app.ClientAsync("t-administrator");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{user.Id}/roles/{role}")).StatusCode);
    }

    private async Task<Tokens> TokensAsync(NewUser user)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        var response = await client.PostAsJsonAsync("/api/auth/token", new { userName = user.UserName, password = user.Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Tokens>())!;
    }

    private HttpClient Bearer(string accessToken)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private sealed record NewUser(string Id, string UserName, string Password);

    private sealed record Tokens(string AccessToken, string RefreshToken, long ExpiresIn);

    private sealed record UserDto(string Id);

    private sealed record CreatedDto(UserDto User, string InitialPassword);
}
