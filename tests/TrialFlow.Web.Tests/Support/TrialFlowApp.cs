using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace TrialFlow.Web.Tests.Support;

/// <summary>
/// TrialFlow on a real Kestrel socket with its own data folder, the demo trial seeded, and one test user per
/// role with a known password (the demo's own passwords are random and printed once). <see cref="IdleIntakeApp"/> is the
/// same with intake's worker stopped.
/// </summary>
public class TrialFlowApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Correct-Horse-Battery-42";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "trialflow-web-tests", Guid.NewGuid().ToString("N"));

    public TrialFlowApp() => UseKestrel(0);

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>Site ids of the demo trial by site number.</summary>
    public Dictionary<string, Guid> Sites { get; } = [];

    public Guid TrialId { get; private set; }

    /// <summary>The port of the DICOM (C-STORE) SCP.</summary>
    public int DicomPort => Services.GetRequiredService<TrialFlow.Intake.Channels.DicomPushService>().Port!.Value;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("TrialFlow:DataDirectory", _dataDirectory);
        builder.UseSetting("TrialFlow:Dicom:Port", "0");
        builder.UseSetting("TrialFlow:Dicom:BindAddress", "127.0.0.1");
        builder.UseEnvironment("Development");
        // Security stamps are read on every request, so a test sees a revoked session fail at once instead of within
        // the minute production allows (that bound is proven on SecurityStampCache with a fake clock).
        builder.UseSetting("TrialFlow:Sessions:StampCheckInterval", "00:00:00");
    }

    public async Task InitializeAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));

        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("tests"));
        var db = scope.ServiceProvider.GetRequiredService<TrialFlowDbContext>();
        TrialId = (await db.Trials.SingleAsync()).Id;
        foreach (var site in await db.Sites.ToListAsync())
            Sites[site.SiteNumber] = site.Id;

        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        foreach (var role in TrialFlowRoles.All)
            await CreateUserAsync(users, db, $"t-{role.ToLowerInvariant()}", role, role is TrialFlowRoles.SiteUser or TrialFlowRoles.Monitor ? ["101"] : []);
        await CreateUserAsync(users, db, "t-siteuser-paris", TrialFlowRoles.SiteUser, ["201"]);
    }

    private async Task CreateUserAsync(UserManager<TrialFlowUser> users, TrialFlowDbContext db, string userName, string role, string[] sites)
    {
        var user = new TrialFlowUser { UserName = userName, DisplayName = $"Test {role}" };
        Check(await users.CreateAsync(user, Password));
        Check(await users.AddToRoleAsync(user, role));
        db.TrialMemberships.Add(new TrialMembership(user.Id, TrialId));
        foreach (var site in sites)
            db.SiteMemberships.Add(new SiteMembership(user.Id, Sites[site]));
        await db.SaveChangesAsync();
    }

    /// <summary>A site user account (password <see cref="Password"/>) of a site added during a test, e.g. one onboarded through the API.</summary>
    public async Task AddSiteUserAsync(string userName, Guid siteId)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("tests"));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        var user = new TrialFlowUser { UserName = userName, DisplayName = $"Coordinator {userName}" };
        Check(await users.CreateAsync(user, Password));
        Check(await users.AddToRoleAsync(user, TrialFlowRoles.SiteUser));
        var db = scope.ServiceProvider.GetRequiredService<TrialFlowDbContext>();
        db.TrialMemberships.Add(new TrialMembership(user.Id, await db.Sites.Where(s => s.Id == siteId).Select(s => s.TrialId).SingleAsync()));
        db.SiteMemberships.Add(new SiteMembership(user.Id, siteId));
        await db.SaveChangesAsync();
        Services.GetRequiredService<TrialDirectory>().Forget();
    }

    /// <summary>Makes a user a test created directly (UserManager) a member of the demo trial, as an administrator would.</summary>
    public async Task JoinDemoTrialAsync(string userName)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("tests"));
        var db = scope.ServiceProvider.GetRequiredService<TrialFlowDbContext>();
        var userId = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        if (!await db.TrialMemberships.AnyAsync(m => m.UserId == userId && m.TrialId == TrialId))
        {
            db.TrialMemberships.Add(new TrialMembership(userId, TrialId));
            await db.SaveChangesAsync();
        }

        Services.GetRequiredService<TrialDirectory>().Forget();
    }

    /// <summary>An HTTP client that calls the API with a bearer token of <paramref name="userName"/>, or anonymously.</summary>
    public async Task<HttpClient> ClientAsync(string? userName = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (userName is null)
            return client;
        var response = await client.PostAsJsonAsync("/api/auth/token", new { userName, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// An HTTP client signed in as <paramref name="userName"/> the way a browser is: it reads the sign-in page and posts
    /// its form (antiforgery token, own Origin), then carries the sign-in cookie in <paramref name="cookies"/>.
    /// It follows no redirects.
    /// </summary>
    public async Task<HttpClient> BrowserClientAsync(string userName, string password = Password, System.Net.CookieContainer? cookies = null)
    {
        var handler = new HttpClientHandler { CookieContainer = cookies ?? new System.Net.CookieContainer(), AllowAutoRedirect = false };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        var page = await client.GetStringAsync("/account/login");
        var antiforgery = System.Text.RegularExpressions.Regex.Match(page, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["userName"] = userName, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(antiforgery),
            }),
        };
        signIn.Headers.Add("Origin", Origin);
        using var response = await client.SendAsync(signIn);
        if (response.Headers.Location?.OriginalString != "/")
            throw new InvalidOperationException($"signing in {userName} through the form gave {(int)response.StatusCode} {response.Headers.Location}");
        return client;
    }

    /// <summary>This host's own origin, as a browser on its pages sends it.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>A database context acting as the system, for asserting on what was stored.</summary>
    public async Task<T> QueryAsync<T>(Func<TrialFlowDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("tests"));
        return await query(scope.ServiceProvider.GetRequiredService<TrialFlowDbContext>());
    }

    /// <summary>
    /// Waits (bounded) until intake has settled at least <paramref name="count"/> objects matching <paramref name="match"/>:
    /// intake works in the background, and tests never assert on how long it took. The bound is <see cref="Browsers.Timeout"/>:
    /// beside other test assemblies on a small machine intake takes far longer than when idle.
    /// </summary>
    public Task<List<TrialFlow.Intake.Domain.IntakeReceipt>> WaitForReceiptsAsync(Func<TrialFlow.Intake.Domain.IntakeReceipt, bool> match, int count = 1) =>
        Eventually.UntilAsync(
            async () => (await QueryAsync(db => db.IntakeReceipts.AsNoTracking().ToListAsync())).Where(match).ToList(),
            found => found.Count >= count,
            $"intake to settle {count} matching object(s) ({Browsers.TimeoutVariable} sets this bound)",
            found => $"{found.Count} so far",
            Browsers.Timeout);

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    private sealed record TokenResponse(string AccessToken);
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<TrialFlowApp>
{
    public const string Name = "TrialFlow app";
}
