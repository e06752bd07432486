using Microsoft.AspNetCore.Identity;

namespace TrialFlow.Activation.Tests.Activation;

/// <summary>
/// A migrated database with the small trial and one more site, Lisbon 801, onboarded Planned, the activation services on
/// the test clock, and the shipped checklists (templates/activation/; the small trial has none of its own: default.yaml).
/// </summary>
internal sealed class ActivationFixture : IAsyncDisposable
{
    private ActivationFixture(TestDatabase database, SmallTrial trial, Guid lisbonId)
    {
        Database = database;
        Trial = trial;
        LisbonId = lisbonId;
    }

    public static ChecklistCatalog Checklists { get; } = ChecklistCatalog.FromDirectory(Path.Combine(AppContext.BaseDirectory, "templates", "activation"));

    public static Actor StudyManager { get; } = new("u-sm", "Sam Study-Manager", TrialFlowRoles.StudyManager, SiteScope.Unrestricted);

    public TestDatabase Database { get; }

    public SmallTrial Trial { get; }

    public Guid LisbonId { get; }

    public SiteActivation Activation { get; } = new(Checklists);

    /// <summary>Onboarding with the repository's de-identification profiles (rulesets/deid/).</summary>
    public static SiteOnboarding Onboarding { get; } = new(new TrialFlow.Intake.Pipeline.DeidProfileCatalog(PipelineFolder.Options(Path.GetTempPath())));

    public static async Task<ActivationFixture> CreateAsync()
    {
        var database = await TestDatabase.CreateSqliteAsync();
        await using var db = database.Context(Actor.System("tests"));
        var trial = await SmallTrial.SaveAsync(db);
        await using var asManager = database.Context(StudyManager);
        var lisbon = await Onboarding.OnboardAsync(asManager, trial.Trial.Id,
            new NewSite("801", "Hospital de Santa Luzia", "PT", "Europe/Lisbon", ["LUZIA_PACS"], ["10.80.0.0/16"]), CancellationToken.None);
        return new ActivationFixture(database, trial, lisbon.Id);
    }

    public TrialFlowDbContext Db(Actor? actor = null) => Database.Context(actor ?? StudyManager);

    /// <summary>A user account in the SiteUser role, member of <paramref name="siteId"/>: whose training the checklist asks for.</summary>
    public async Task AddSiteUserAsync(string userName, Guid siteId)
    {
        await using var db = Db(Actor.System("tests"));
        var role = await db.Roles.SingleOrDefaultAsync(r => r.Name == TrialFlowRoles.SiteUser)
            ?? db.Roles.Add(new IdentityRole(TrialFlowRoles.SiteUser) { NormalizedName = TrialFlowRoles.SiteUser.ToUpperInvariant() }).Entity;
        var user = new TrialFlowUser { UserName = userName, NormalizedUserName = userName.ToUpperInvariant(), DisplayName = userName };
        db.Users.Add(user);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
        db.SiteMemberships.Add(new SiteMembership(user.Id, siteId));
        await db.SaveChangesAsync();
    }

    /// <summary>Does every item a person ticks (per-user items for each of <paramref name="trainedUsers"/>).</summary>
    public async Task CompleteManualItemsAsync(params string[] trainedUsers)
    {
        await using var db = Db();
        foreach (var item in (await Activation.ChecklistAsync(db, LisbonId, CancellationToken.None))!.Items.Where(i => i.Definition.Automatic is null))
            if (item.Definition.PerUser)
                foreach (var user in trainedUsers)
                    await Activation.CompleteItemAsync(db, LisbonId, item.Definition.Key, user, $"certificate TF-TR-{user}", CancellationToken.None);
            else
                await Activation.CompleteItemAsync(db, LisbonId, item.Definition.Key, null, $"{item.Definition.Key} on file, eTMF 801-{item.Definition.Key}", CancellationToken.None);
    }

    /// <summary>Records a scanner as qualified at Lisbon, as a passing qualification scan would.</summary>
    public async Task QualifyScannerAsync(string modality, string manufacturer, string model)
    {
        await using var db = Db(Actor.System("tests"));
        db.QualifiedScanners.Add(new QualifiedScanner(Trial.Trial.Id, LisbonId, new ScannerIdentity(modality, manufacturer, model, null, null, null),
            "tf-test-protocol", "qualification scan passed QC", "tests", Database.Clock.GetUtcNow().UtcDateTime, null));
        await db.SaveChangesAsync();
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
