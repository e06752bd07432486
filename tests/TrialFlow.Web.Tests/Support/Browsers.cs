namespace TrialFlow.Web.Tests.Support;

/// <summary>Debian's chromium driven by Playwright (no browser download), and signing in as a test user.</summary>
public static class Browsers
{
    /// <summary>The environment variable that sets <see cref="Timeout"/>, in seconds.</summary>
    public const string TimeoutVariable = "TRIALFLOW_BROWSER_TIMEOUT_SECONDS";

    /// <summary>
    /// How long a Web test waits for any one thing it needs (a page, its circuit, an element, intake settling):
    /// <c>TRIALFLOW_BROWSER_TIMEOUT_SECONDS</c>, 120 s by default. It is the only bound, and a generous one, because on a
    /// busy machine (two cores, other test assemblies beside this one) a Blazor circuit has taken more than 30 s to connect;
    /// every wait is on the condition itself, so on an idle machine nothing ever waits this long. It bounds a hang, it
    /// measures nothing.
    /// </summary>
    public static TimeSpan Timeout { get; } = Eventually.ReadSeconds(TimeoutVariable, TimeSpan.FromSeconds(120));

    private static float TimeoutMs => (float)Timeout.TotalMilliseconds;

    public static async Task<BrowserSession> ChromiumAsync()
    {
        // Playwright's assertions (Expect) have a default of their own, 5 s, separate from the context's: set it too.
        Assertions.SetDefaultExpectTimeout(TimeoutMs);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Timeout = TimeoutMs,
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

    /// <summary>
    /// Waits until the page's Blazor circuit is connected and has rendered the component that <paramref name="marker"/>
    /// belongs to, so clicks and typing reach its handlers (the prerendered HTML looks the same but nothing answers).
    /// Pages mark it in one of two ways, both from <c>RendererInfo.IsInteractive</c>: an element whose
    /// <c>data-interactive</c> is "false" when prerendered and "true" once interactive (<c>#upload-form</c>), or a hidden
    /// element rendered only by the interactive renderer (<c>#query-interactive</c>). Bounded by <see cref="Timeout"/>.
    /// </summary>
    public static async Task WaitForInteractiveAsync(this IPage page, string marker)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "marker => { const e = document.querySelector(marker); return e !== null && (!e.hasAttribute('data-interactive') || e.getAttribute('data-interactive') === 'true'); }",
                marker);
        }
        catch (TimeoutException e)
        {
            // What the page shows says why (an error, an empty state, a page the circuit never reached).
            var shown = await page.Locator("body").InnerTextAsync(new() { Timeout = 5000 }).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "(unreadable)");
            throw new TimeoutException(
                $"{page.Url} did not become interactive ({marker}) within {Timeout.TotalSeconds:0} s; {TimeoutVariable} sets this bound. The page shows: "
                + (shown.Length > 600 ? shown[..600] + "…" : shown).ReplaceLineEndings(" | "), e);
        }
    }

    /// <summary>Picks <paramref name="option"/> in a MudSelect (its combobox): open the list, click the item, wait until the select shows it.</summary>
    public static async Task ChooseAsync(IPage page, ILocator select, string option)
    {
        await select.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        // MudSelect's combobox is a text input or a div depending on its parameters (and re-renders between the two),
        // so the locator is read again on each look rather than held as one element.
        await UntilAsync(
            async () => (await select.EvaluateAsync<string>("e => e.tagName === 'INPUT' ? e.value : e.textContent")).Contains(option, StringComparison.Ordinal),
            $"the select to show '{option}'");
    }

    /// <summary>Asks <paramref name="condition"/> until it holds, for at most <see cref="Timeout"/>.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.UntilAsync(condition, done => done, $"{what} ({TimeoutVariable} sets this bound)", within: Timeout);
}

public sealed class BrowserSession(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
{
    /// <summary>A page in a context of its own (cookies apart), waiting at most <see cref="Browsers.Timeout"/> for anything.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await browser.NewContextAsync();
        var timeout = (float)Browsers.Timeout.TotalMilliseconds;
        context.SetDefaultTimeout(timeout);
        context.SetDefaultNavigationTimeout(timeout);
        return await context.NewPageAsync();
    }

    /// <summary>A new page (<see cref="NewPageAsync"/>) signed in as <paramref name="userName"/> at <paramref name="path"/>.</summary>
    public async Task<IPage> SignedInPageAsync(TrialFlowApp app, string userName, string path)
    {
        var page = await NewPageAsync();
        await Browsers.SignInAsync(page, app, userName, path);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}

/// <summary>
/// Browser tests share a host of their own and run alone, one at a time, after this assembly's parallel collections:
/// chromium, the Blazor circuit and the host together need most of a two-core machine, and a busy test beside them
/// starves the circuit (issue 27: a page did not become interactive within 30 s). Other test assemblies still run beside
/// this one (dotnet test runs one assembly per MSBuild node); waiting on conditions within <see cref="Browsers.Timeout"/>
/// covers that.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<TrialFlowApp>
{
    public const string Name = "browsers";
}

/// <summary>As <see cref="BrowserCollection"/>, on a host whose intake worker is stopped (<see cref="IdleIntakeApp"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IdleIntakeBrowserCollection : ICollectionFixture<IdleIntakeApp>
{
    public const string Name = "browsers, intake idle";
}
