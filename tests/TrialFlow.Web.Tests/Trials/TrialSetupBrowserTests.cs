namespace TrialFlow.Web.Tests.Trials;

/// <summary>A study manager creates a trial on the page and switches between their trials in the app bar (chromium).</summary>
[Collection(TrialsSideBySideCollection.Name), Trait("Category", "Browser")]
public sealed class TrialSetupBrowserTests(TrialsSideBySideApp app)
{
    [Fact]
    public async Task A_study_manager_creates_a_trial_from_the_template_lands_on_it_and_switches_back_to_their_other_trial()
    {
        var b = await app.TrialBAsync();
        await app.AddUserThroughApiAsync("b-creator", "StudyManager", b.Id);
        await using var browser = await Browsers.ChromiumAsync();
        var page = await browser.SignedInPageAsync(app, "b-creator", "/trials/new");
        await page.WaitForInteractiveAsync("#new-trial-interactive");

        // A protocol id another trial has is refused on the page, naming it; nothing is created.
        await page.FillAsync("#new-trial-protocol-id", "TF-SIDE-B");
        await page.FillAsync("#new-trial-sponsor", "Cassiopeia Biotech");
        await page.FillAsync("#new-trial-title", "A phase II trial created in the browser");
        await page.ClickAsync("#new-trial-create");
        await Assertions.Expect(page.Locator("#new-trial-errors")).ToContainTextAsync("A trial with protocol id TF-SIDE-B exists already.");

        await page.FillAsync("#new-trial-protocol-id", "TF-UI-C");
        await page.ClickAsync("#new-trial-add-visit");
        var added = page.Locator("#new-trial-visits tbody tr").Last.Locator("input");
        await added.Nth(0).FillAsync("WK30");
        await added.Nth(1).FillAsync("Week 30");
        await page.ClickAsync("#new-trial-create");

        // Polled, not awaited as a navigation event: the page reloads onto the new trial's activation page.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/activation$"));
        await Assertions.Expect(page.Locator("#trial-switcher")).ToContainTextAsync("TF-UI-C");
        var created = await app.QueryAsync(db => db.Trials.Include(t => t.VisitSchedule).SingleAsync(t => t.ProtocolId == "TF-UI-C"));
        Assert.Equal(7, created.VisitSchedule.Count);
        Assert.Contains(created.VisitSchedule, v => v is { VisitKey: "WK30", Name: "Week 30", NominalDay: 294 });
        Assert.Equal(("Cassiopeia Biotech", "oncology-recist-bicr"), (created.Sponsor, created.Template));

        // The switcher lists both of the study manager's trials, and pages follow the choice.
        await page.WaitForInteractiveAsync("#trial-switcher");
        await page.Locator("#trial-switcher button").First.ClickAsync();
        await page.Locator("#trial-choice-TF-SIDE-B").ClickAsync();
        await Assertions.Expect(page.Locator("#trial-switcher")).ToContainTextAsync("TF-SIDE-B");
        await Assertions.Expect(page.Locator("#activation-sites")).ToContainTextAsync("Clínica Bahía Azul");
        Assert.Equal(0, await page.Locator("#trial-choice-TF-ONC-301").CountAsync());
    }

    [Fact]
    public async Task An_administrator_adds_a_person_to_a_trial_and_takes_them_off_on_the_users_page()
    {
        await app.TrialBAsync();
        var userId = await app.AddUserThroughApiAsync("b-joiner", "DataManager");
        await using var browser = await Browsers.ChromiumAsync();
        var page = await browser.SignedInPageAsync(app, "t-administrator", "/admin/users");
        await page.WaitForInteractiveAsync("#users-interactive");
        var cell = page.Locator("#user-trials-b-joiner");

        await cell.GetByRole(AriaRole.Button, new() { Name = "Add b-joiner to a trial" }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-menu-item", new() { HasText = "TF-SIDE-B" }).ClickAsync();
        await Assertions.Expect(cell).ToContainTextAsync("TF-SIDE-B");
        var b = await app.TrialBAsync();
        Assert.True(await app.QueryAsync(db => db.TrialMemberships.AnyAsync(m => m.UserId == userId && m.TrialId == b.Id)));
        using (var joiner = await app.ClientAsync("b-joiner"))
            Assert.Equal(["TF-SIDE-B"], (await joiner.GetFromJsonAsync<JsonElement>("/api/trials")).EnumerateArray().Select(t => t.GetProperty("protocolId").GetString()));

        await cell.Locator(".mud-chip-close-button").First.ClickAsync();
        await Assertions.Expect(cell).Not.ToContainTextAsync("TF-SIDE-B");
        Assert.False(await app.QueryAsync(db => db.TrialMemberships.AnyAsync(m => m.UserId == userId)));
        Assert.Contains(await app.QueryAsync(db => db.AuditEvents.Where(e => e.EntityType == "TrialMembership").Select(e => e.Action).ToListAsync()), a => a == "Delete");
    }
}
