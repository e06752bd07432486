namespace TrialFlow.Web.Tests.Viewer;

/// <summary>The viewer in chromium: scrolling, window presets and a length measurement that reaches the page.</summary>
[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class ViewerBrowserTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_data_manager_scrolls_the_venous_series_changes_the_window_and_measures_a_length_in_mm()
    {
        await using var browser = await Browsers.ChromiumAsync();
        var (page, viewport) = await OpenVenousSeriesAsync(browser);

        var overlay = viewport.Locator(".tf-overlay");
        await overlay.HoverAsync();
        await page.Mouse.WheelAsync(0, 120);
        await Expect(viewport.Locator(".tf-frame"), "2 / 3");

        // The images hold 0 everywhere: black in their own 12-bit window, mid grey in the soft-tissue window (40/400).
        await Expect(viewport.Locator(".tf-window"), "C 2048 W 4095");
        Assert.Equal(0, await GreyAtCentreAsync(page));
        await viewport.Locator(".tf-preset").SelectOptionAsync("1");
        await Expect(viewport.Locator(".tf-window"), "C 40 W 400");
        Assert.Equal(102, await GreyAtCentreAsync(page));

        // 200 screen pixels across; the 512-pixel image fills the box's width, each image pixel 0.7 mm.
        var box = (await overlay.BoundingBoxAsync())!;
        var (x, y) = (box.X + box.Width / 4, box.Y + box.Height / 2);
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x + 100, y, new() { Steps = 5 });
        await page.Mouse.MoveAsync(x + 200, y, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        var expected = (200 * 512 / box.Width * 0.7).ToString("0.0", CultureInfo.InvariantCulture);
        await Expect(viewport.Locator(".tf-last-measure"), $"{expected} mm");
        await Expect(page.Locator("#measurements"), $"{expected} mm");
    }

    [Fact]
    public async Task Zooming_in_keeps_measurements_in_image_millimetres_and_fit_shows_the_whole_image_again()
    {
        await using var browser = await Browsers.ChromiumAsync();
        var (page, viewport) = await OpenVenousSeriesAsync(browser);
        var stage = (await viewport.Locator(".tf-stage").BoundingBoxAsync())!;

        await page.Mouse.MoveAsync(stage.X + stage.Width / 2, stage.Y + stage.Height / 2);
        await page.Keyboard.DownAsync("Control");
        for (var i = 0; i < 3; i++)
            await page.Mouse.WheelAsync(0, -120);
        await page.Keyboard.UpAsync("Control");
        await Expect(viewport.Locator(".tf-zoom"), "×1.95");
        Assert.Equal("1 / 3", await viewport.Locator(".tf-frame").InnerTextAsync()); // zooming did not scroll

        // 200 screen pixels at ×1.953125 span 200 / 1.953125 image-fitting pixels: the length shrinks by the zoom.
        var (x, y) = (stage.X + stage.Width / 4, stage.Y + stage.Height / 2);
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x + 200, y, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        var expected = (200 / 1.953125 * 512 / stage.Width * 0.7).ToString("0.0", CultureInfo.InvariantCulture);
        await Expect(viewport.Locator(".tf-last-measure"), $"{expected} mm");

        await viewport.Locator(".tf-fit").ClickAsync();
        await Expect(viewport.Locator(".tf-zoom"), "×1.00");
        var layer = (await viewport.Locator(".tf-layer").BoundingBoxAsync())!;
        Assert.Equal(stage.Width, layer.Width, 1);
        Assert.Equal(stage.X, layer.X, 1);
    }

    /// <summary>A data manager opens a freshly archived CT study and picks its venous series (3 slices).</summary>
    private async Task<(IPage Page, ILocator Viewport)> OpenVenousSeriesAsync(BrowserSession browser)
    {
        var studyId = await ViewerStudies.ArchiveCtStudyAsync(app);
        var page = await browser.SignedInPageAsync(app, "t-datamanager", $"/studies/{studyId}/images");
        var viewport = page.Locator("#viewport-0");
        await viewport.Locator(".tf-series").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await Expect(viewport.Locator(".tf-frame"), "1 / 3");
        return (page, viewport);
    }

    private static Task<int> GreyAtCentreAsync(IPage page) =>
        page.EvaluateAsync<int>("() => { const c = document.querySelector('#viewport-0 .tf-canvas'); return c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data[0]; }");

    private static Task Expect(ILocator locator, string text) =>
        Assertions.Expect(locator).ToContainTextAsync(text);
}
