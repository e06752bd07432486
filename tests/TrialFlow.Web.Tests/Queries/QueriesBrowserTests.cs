using Microsoft.Playwright;
using TrialFlow.Web.Tests.Support;

namespace TrialFlow.Web.Tests.Queries;

[Collection(AppCollection.Name)]
public sealed class QueriesBrowserTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_site_user_answers_from_the_inbox_the_raiser_resolves_and_the_aging_dashboard_counts_it()
    {
        var query = await QueriesApiTests.RaiseAsync(app, "101", $"Browser query {Guid.NewGuid():N}"[..40]);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });

        // The site user finds the query in the inbox (open ones first) and answers it.
        var site = await SignInAsync(browser, "t-siteuser", "/queries");
        await site.Locator("#query-inbox").WaitForAsync();
        var link = site.Locator($"[data-reference='{query.Reference}']");
        await link.WaitForAsync();
        await link.ClickAsync();
        await site.Locator("#query-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await site.FillAsync("#answer-text", "Venous series sent again from the PACS.");
        await site.ClickAsync("#answer-button");
        await site.Locator("#query-status[data-status='Answered']").WaitForAsync();

        // The raiser reads the dashboard, resolves the query, and the dashboard moves.
        var lead = await SignInAsync(browser, "t-qclead", "/queries/dashboard");
        var before = await CountsAsync(lead);
        await lead.GotoAsync(new Uri(app.BaseAddress, $"/queries/{query.Id}").ToString());
        await lead.Locator("#query-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
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

    private async Task<IPage> SignInAsync(IBrowser browser, string userName, string path)
    {
        var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
        await page.WaitForURLAsync("**/account/login**");
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", TrialFlowApp.Password);
        await page.ClickAsync("#sign-in");
        return page;
    }
}
