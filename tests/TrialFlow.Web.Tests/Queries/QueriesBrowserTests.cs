namespace TrialFlow.Web.Tests.Queries;

[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class QueriesBrowserTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_site_user_answers_from_the_inbox_the_raiser_resolves_and_the_aging_dashboard_counts_it()
    {
        var query = await QueriesApiTests.RaiseAsync(app, "101", $"Browser query {Guid.NewGuid():N}"[..40]);
        await using var browser = await Browsers.ChromiumAsync();

        // The site user finds the query in the inbox (open ones first) and answers it.
        var site = await browser.SignedInPageAsync(app, "t-siteuser", "/queries");
        await site.Locator("#query-inbox").WaitForAsync();
        var link = site.Locator($"[data-reference='{query.Reference}']");
        await link.WaitForAsync();
        await link.ClickAsync();
        await site.WaitForInteractiveAsync("#query-interactive");
        await site.FillAsync("#answer-text", "Venous series sent again from the PACS.");
        await site.ClickAsync("#answer-button");
        await site.Locator("#query-status[data-status='Answered']").WaitForAsync();

        // The raiser reads the dashboard, resolves the query, and the dashboard moves.
        var lead = await browser.SignedInPageAsync(app, "t-qclead", "/queries/dashboard");
        var before = await CountsAsync(lead);
        await lead.GotoAsync(new Uri(app.BaseAddress, $"/queries/{query.Id}").ToString());
        await lead.WaitForInteractiveAsync("#query-interactive");
        Assert.Contains("Venous series sent again from the PACS.", await lead.Locator("#query-thread").InnerTextAsync());
        await lead.ClickAsync("#resolve-button");
        await lead.Locator("#query-status[data-status='Resolved']").WaitForAsync();
        await lead.GotoAsync(new Uri(app.BaseAddress, "/queries/dashboard").ToString());
        var after = await CountsAsync(lead);

        Assert.Equal(before.Open - 1, after.Open);
        Assert.Equal(before.Resolved + 1, after.Resolved);
    }

    private static async Task<(int Open, int Resolved)> CountsAsync(IPage page)
    {
        var aging = page.Locator("#aging-table tr", new() { Has = page.Locator("[data-site='101']") });
        await aging.WaitForAsync();
        var metrics = page.Locator("#metrics-table tr", new() { HasText = "101 ·" });
        return (int.Parse(await aging.Locator("[data-column='open']").InnerTextAsync()), int.Parse(await metrics.Locator("[data-column='resolved']").InnerTextAsync()));
    }
}
