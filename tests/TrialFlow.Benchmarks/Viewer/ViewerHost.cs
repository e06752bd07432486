using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;
using TrialFlow.Testing;
using TrialFlow.Web.Security;

namespace TrialFlow.Benchmarks.Viewer;

/// <summary>
/// The whole web host (Release build, SQLite, demo trial) on a Kestrel socket in its own data folder, with a site user
/// who sends the images and a data manager who views them. The factory is keyed on a type of the web assembly, since
/// this program has a Program class of its own.
/// </summary>
internal sealed class ViewerHost : WebApplicationFactory<TrialFlow.Web.Viewer.ViewerManifestBuilder>
{
    public const string Password = "Viewer-Benchmark-Password-1";
    public const string Sender = "bench-site";
    public const string Viewer = "bench-dm";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "trialflow-bench-viewer", Guid.NewGuid().ToString("N"));

    public ViewerHost()
    {
        // `dotnet run` starts in the repository, where the factory's own lookup guesses the content root wrong.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_TRIALFLOW_WEB", Repository.Path("src", "TrialFlow.Web"));
        UseKestrel(0);
    }

    public Uri BaseAddress { get; private set; } = default!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("TrialFlow:DataDirectory", _dataDirectory);
        builder.UseSetting("TrialFlow:Dicom:Port", "0");
        builder.UseSetting("TrialFlow:Dicom:BindAddress", "127.0.0.1");
        builder.UseEnvironment("Development"); // static web assets are served from the build output in Development only
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public async Task StartAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("benchmark"));
        var db = scope.ServiceProvider.GetRequiredService<TrialFlowDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        var site101 = await db.Sites.SingleAsync(s => s.SiteNumber == "101");
        var sender = await CreateUserAsync(users, Sender, TrialFlowRoles.SiteUser);
        db.SiteMemberships.Add(new SiteMembership(sender.Id, site101.Id));
        await db.SaveChangesAsync();
        await CreateUserAsync(users, Viewer, TrialFlowRoles.DataManager);
    }

    /// <summary>An API client with <paramref name="userName"/>'s bearer token.</summary>
    public async Task<HttpClient> ClientAsync(string userName)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var response = await client.PostAsJsonAsync("/api/auth/token", new { userName, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<T> QueryAsync<T>(Func<TrialFlowDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("benchmark"));
        return await query(scope.ServiceProvider.GetRequiredService<TrialFlowDbContext>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    private static async Task<TrialFlowUser> CreateUserAsync(UserManager<TrialFlowUser> users, string userName, string role)
    {
        var user = new TrialFlowUser { UserName = userName, DisplayName = userName };
        foreach (var result in new[] { await users.CreateAsync(user, Password), await users.AddToRoleAsync(user, role) })
            if (!result.Succeeded)
                throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        return user;
    }

    private sealed record TokenResponse(string AccessToken);
}
