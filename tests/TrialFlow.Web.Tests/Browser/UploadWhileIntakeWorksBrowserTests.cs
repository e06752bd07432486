namespace TrialFlow.Web.Tests.Browser;

/// <summary>
/// Issue 17: while intake has not settled the received files the upload page shows how far it got, not an error, and
/// shows the summary once intake is done. Intake's worker is stopped here; the test settles intake when it chooses.
/// </summary>
[Collection(IdleIntakeBrowserCollection.Name), Trait("Category", "Browser")]
public sealed class UploadWhileIntakeWorksBrowserTests(IdleIntakeApp app) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("trialflow-browser-processing-").FullName;

    [Fact]
    public async Task While_intake_processes_the_files_the_page_shows_how_many_are_done_and_then_the_summary()
    {
        var study = $"1.2.826.0.1.3680043.17.{Random.Shared.Next(1, int.MaxValue)}";
        var files = new List<string>();
        for (var i = 1; i <= 2; i++)
        {
            files.Add(Path.Combine(_folder, $"IM{i}.dcm"));
            await File.WriteAllBytesAsync(files[^1], DicomSamples.CtImage(study: study, instance: i));
        }

        await using var browser = await Browsers.ChromiumAsync();
        var page = await browser.NewPageAsync();
        await UploadPage.OpenAsync(page, app);

        await UploadPage.StartAsync(page, files);

        var processing = page.Locator("#upload-processing");
        await processing.WaitForAsync();
        Assert.Contains("0 of 2 done", await processing.InnerTextAsync());
        Assert.Equal(0, await page.Locator(".mud-alert").CountAsync());
        Assert.False(await page.Locator("#upload-start").IsEnabledAsync());

        await app.SettleIntakeAsync();

        var summary = page.Locator("#upload-summary");
        await summary.WaitForAsync();
        Assert.Contains("2 received · 2 archived", await summary.InnerTextAsync());
        Assert.Equal(0, await processing.CountAsync());
        await UploadPage.WaitUntilUploadIsEnabledAsync(page);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
