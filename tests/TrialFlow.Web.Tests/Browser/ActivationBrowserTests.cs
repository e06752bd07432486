using static TrialFlow.Web.Tests.Support.Browsers;

namespace TrialFlow.Web.Tests.Browser;

/// <summary>
/// Site start-up in a real browser: a study manager onboards a site, the site's PACS sends its test transfer (held), the
/// study manager records the checklist with evidence and the site becomes Active — not before every required item is done.
/// </summary>
[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class ActivationBrowserTests(TrialFlowApp app) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("trialflow-activation-browser-").FullName;

    [Fact]
    [Trait("Category", "Peer")]
    public async Task A_study_manager_onboards_a_site_records_its_checklist_and_activates_it_once_its_test_transfer_arrived()
    {
        var n = Random.Shared.Next(10_000, 99_999);
        var (number, aeTitle, siteUser) = ($"8{n}", $"EVORA_{n}", $"t-evora-{n}");
        await using var browser = await ChromiumAsync();
        var page = await browser.SignedInPageAsync(app, "t-studymanager", "/activation");
        await page.WaitForInteractiveAsync("#activation-interactive");

        await page.Locator("#onboard-number").FillAsync(number);
        await page.Locator("#onboard-name").FillAsync("Clínica Universitária de Évora");
        await page.Locator("#onboard-country").FillAsync("PT");
        await page.Locator("#onboard-timezone").FillAsync("Europe/Lisbon");
        await page.Locator("#onboard-aetitles").FillAsync(aeTitle);
        await page.Locator("#onboard-networks").FillAsync("127.0.0.0/8");
        await page.Locator("#onboard-site").ClickAsync();
        await page.WaitForURLAsync("**/activation/sites/**");
        var siteId = await app.QueryAsync(db => db.Sites.Where(s => s.SiteNumber == number).Select(s => s.Id).SingleAsync());

        // The site's coordinator gets an account, and its PACS sends the test transfer: held, since the site is not Active.
        await AddSiteUserAsync(siteUser, siteId);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "ct1.dcm"), DicomSamples.CtImage(patientId: "TEST-TRANSFER", instance: 1));
        var (exit, output) = await Dcmtk.RunAsync("storescu", "-aet", aeTitle, "-aec", "TRIALFLOW", "127.0.0.1", app.DicomPort.ToString(), _folder, "+sd");
        Assert.True(exit == 0, output);
        Assert.Equal(IntakeOutcome.Quarantined, Assert.Single(await app.WaitForReceiptsAsync(r => r.SiteId == siteId)).Outcome);

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync("#site-activation-interactive");
        Assert.Equal("Planned", (await page.Locator("#site-status").InnerTextAsync()).Trim());
        await ChangeStatusAsync(page, "Qualifying", "site selection visit 2026-06-01");
        await Assertions.Expect(page.Locator("#site-status")).ToHaveTextAsync("Qualifying");

        await ChangeStatusAsync(page, "Active", "all set, we think");
        await Assertions.Expect(page.Locator("#activation-message")).ToContainTextAsync($"Site {number} cannot become Active");
        await Assertions.Expect(page.Locator("#site-status")).ToHaveTextAsync("Qualifying");

        foreach (var key in new[] { "protocol-acknowledged", "imaging-manual", "staff-trained", "data-sharing-agreement", "phantom-scan" })
        {
            await page.Locator($".evidence-{key} input").FillAsync($"eTMF {number}/{key}, 2026-06-02");
            await page.Locator($".record-{key}").ClickAsync();
            await Assertions.Expect(page.Locator("#activation-message")).ToContainTextAsync("Recorded:");
            await Assertions.Expect(page.Locator("#checklist tr", new() { HasText = $"eTMF {number}/{key}" }).Locator(".item-state-done")).ToHaveCountAsync(1);
        }
        await ChangeStatusAsync(page, "Active", "checklist complete, SIV report filed");

        await Assertions.Expect(page.Locator("#site-status")).ToHaveTextAsync("Active");
        Assert.Equal(SiteStatus.Active, await app.QueryAsync(db => db.Sites.Where(s => s.Id == siteId).Select(s => s.Status).SingleAsync()));
        Assert.Contains("checklist complete, SIV report filed", await page.Locator("#status-history").InnerTextAsync());
    }

    private static async Task ChangeStatusAsync(IPage page, string status, string reason)
    {
        await ChooseAsync(page, page.Locator("#next-status [role=combobox]").First, status);
        await page.Locator("#status-reason").FillAsync(reason);
        await page.Locator("#change-status").ClickAsync();
    }

    private async Task AddSiteUserAsync(string userName, Guid siteId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("tests"));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        var user = new TrialFlowUser { UserName = userName, DisplayName = "Évora coordinator" };
        Assert.True((await users.CreateAsync(user, TrialFlowApp.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, TrialFlowRoles.SiteUser)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<TrialFlowDbContext>();
        db.SiteMemberships.Add(new SiteMembership(user.Id, siteId));
        await db.SaveChangesAsync();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
