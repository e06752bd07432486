using Microsoft.Playwright;

namespace TrialFlow.Web.Tests.Support;

/// <summary>Debian's chromium driven by Playwright (no browser download), and signing in as a test user.</summary>
public static class Browsers
{
    public static async Task<BrowserSession> ChromiumAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        return new BrowserSession(playwright, browser);
    }

    /// <summary>Opens <paramref name="path"/>, is sent to the sign-in page, and signs in with the test password.</summary>
    public static async Task SignInAsync(IPage page, TrialFlowApp app, string userName, string path)
    {
        await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
        await page.WaitForURLAsync("**/account/login**");
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", TrialFlowApp.Password);
        await page.ClickAsync("#sign-in");
    }

    /// <summary>Picks <paramref name="option"/> in a MudSelect (its combobox): open the list, click the item, wait until the select shows it.</summary>
    public static async Task ChooseAsync(IPage page, ILocator select, string option)
    {
        await select.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        // MudSelect's combobox is a text input or a div depending on its parameters (and re-renders between the two).
        for (var waited = 0; waited < 200; waited++)
        {
            if ((await select.EvaluateAsync<string>("e => e.tagName === 'INPUT' ? e.value : e.textContent")).Contains(option, StringComparison.Ordinal))
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"the select did not show '{option}' within 20 s");
    }
}

public sealed class BrowserSession(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
{
    public async Task<IPage> NewPageAsync()
    {
        var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
