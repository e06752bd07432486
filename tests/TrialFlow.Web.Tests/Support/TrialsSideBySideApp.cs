namespace TrialFlow.Web.Tests.Support;

/// <summary>
/// The demo host plus a second trial, TF-SIDE-B, created from the template by an administrator through the API, with one
/// site (Clínica Bahía Azul, 901) and a study manager and a reader who work on it alone.
/// </summary>
public sealed class TrialsSideBySideApp : TrialFlowApp
{
    public const string ManagerOfB = "b-studymanager";
    public const string ReaderOfB = "b-reader";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private TrialB? _b;

    public sealed record TrialB(Guid Id, Guid SiteId, IReadOnlyList<string> Workflows);

    /// <summary>Trial B, created on first use (the tests of the collection share it).</summary>
    public async Task<TrialB> TrialBAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _b ??= await CreateTrialBAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<TrialB> CreateTrialBAsync()
    {
        using var admin = await ClientAsync("t-administrator");
        var created = await admin.PostAsJsonAsync("/api/trials", new
        {
            template = "oncology-recist-bicr", protocolId = "TF-SIDE-B", sponsor = "Borealis Pharma", title = "A second trial beside the demo", deidProfile = "agreement-no-patient-age",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var trial = await created.Content.ReadFromJsonAsync<JsonElement>();
        var trialId = trial.GetProperty("id").GetGuid();
        var site = await admin.PostAsJsonAsync($"/api/trials/{trialId}/sites", new
        {
            siteNumber = "901", name = "Clínica Bahía Azul", country = "ES", timeZone = "Europe/Madrid", aeTitles = new[] { "BAHIA_CT" }, senderNetworks = new[] { "127.0.0.0/8" },
        });
        Assert.Equal(HttpStatusCode.Created, site.StatusCode);
        var siteId = await QueryAsync(db => db.Sites.Where(s => s.TrialId == trialId).Select(s => s.Id).SingleAsync());
        await AddUserThroughApiAsync(ManagerOfB, "StudyManager", trialId);
        await AddUserThroughApiAsync(ReaderOfB, "Reader", trialId);

        return new TrialB(trialId, siteId, trial.GetProperty("workflows").EnumerateArray().Select(w => w.GetString()!).ToList());
    }

    /// <summary>A user created by the administrator through the API on <paramref name="trials"/>, with the tests' password; their id.</summary>
    public async Task<string> AddUserThroughApiAsync(string userName, string role, params Guid[] trials)
    {
        using var admin = await ClientAsync("t-administrator");
        var response = await admin.PostAsJsonAsync("/api/users", new { userName, displayName = $"{userName} ({role})", role, trials });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        await SetPasswordAsync(userName, created.GetProperty("initialPassword").GetString()!);
        return created.GetProperty("user").GetProperty("id").GetString()!;
    }

    /// <summary>Gives a user created through the API, with its generated password, the tests' known <see cref="TrialFlowApp.Password"/>.</summary>
    public async Task SetPasswordAsync(string userName, string initialPassword)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("tests"));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        var user = (await users.FindByNameAsync(userName))!;
        Assert.True((await users.ChangePasswordAsync(user, initialPassword, Password)).Succeeded);
    }

    /// <summary>One CT image of the demo trial (site 101) sent over STOW-RS and archived; its study's pseudonymous UID.</summary>
    public async Task<string> ArchiveDemoStudyAsync()
    {
        var before = (await QueryAsync(db => db.Studies.Select(s => s.StudyInstanceUid).ToListAsync())).ToHashSet();
        using var client = await ClientAsync("t-siteuser");
        using var body = new MultipartContent("related", "B-" + Guid.NewGuid().ToString("N"));
        body.Add(new ByteArrayContent(DicomSamples.CtImage(study: $"1.2.826.0.1.3680043.5.{Random.Shared.Next(1, int.MaxValue)}"))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") },
        });
        (await client.PostAsync("/dicomweb/studies", body)).EnsureSuccessStatusCode();
        return await Eventually.UntilAsync(
            async () => (await QueryAsync(db => db.Studies.Select(s => s.StudyInstanceUid).ToListAsync())).FirstOrDefault(uid => !before.Contains(uid)),
            uid => uid is not null, "intake to archive the demo study", uid => "not yet", Browsers.Timeout) ?? "";
    }
}

/// <summary>Alone, like the browser collection: its browser test needs most of a two-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrialsSideBySideCollection : ICollectionFixture<TrialsSideBySideApp>
{
    public const string Name = "TrialFlow app with a second trial";
}
