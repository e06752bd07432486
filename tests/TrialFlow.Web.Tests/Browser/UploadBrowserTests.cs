namespace TrialFlow.Web.Tests.Browser;

/// <summary>
/// Issue 17 in the browser: every file a site user picked ends in the summary with what became of it, failures read as
/// sentences (never a script error or stack), and the Upload button works again afterwards.
/// </summary>
[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class UploadBrowserTests(TrialFlowApp app) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("trialflow-browser-upload-").FullName;

    [Fact]
    public async Task A_garbage_file_among_images_is_listed_with_its_reason_and_not_counted_as_archived()
    {
        var files = await WriteFilesAsync();
        await using var browser = await Browsers.ChromiumAsync();
        var page = await browser.NewPageAsync();
        await UploadPage.OpenAsync(page, app);

        await UploadPage.StartAsync(page, files);

        var summary = page.Locator("#upload-summary");
        await summary.WaitForAsync();
        // Intake refuses the garbage at the door (not accepted) or takes it and quarantines it (held): either way it is
        // listed with its reason, and only the two images are archived.
        Assert.Contains("2 archived", await summary.Locator("h2").InnerTextAsync());
        var rows = await UploadPage.SummaryRowsAsync(page);
        Assert.Equal(("Archived", "Archived"), (rows["IM1.dcm"].Outcome, rows["IM2.dcm"].Outcome));
        var (outcome, reason) = rows["x.dcm"];
        Assert.NotEqual("Archived", outcome);
        Assert.False(string.IsNullOrWhiteSpace(reason), $"x.dcm is listed as {outcome} without a reason");
        Assert.False(UploadPage.ShowsScriptError(await page.Locator("body").InnerTextAsync()));
        Assert.True(await page.Locator("#upload-start").IsEnabledAsync());
    }

    [Fact]
    public async Task When_the_connection_fails_the_page_says_so_in_a_sentence_and_the_upload_can_be_started_again()
    {
        var files = await WriteFilesAsync();
        await using var browser = await Browsers.ChromiumAsync();
        var page = await browser.NewPageAsync();
        await page.RouteAsync("**/api/uploads/*/submit", route => route.AbortAsync("connectionreset"));
        await UploadPage.OpenAsync(page, app);

        await UploadPage.StartAsync(page, files);

        var alert = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The upload stopped" });
        await alert.WaitForAsync();
        Assert.Contains("the connection failed", await alert.InnerTextAsync());
        Assert.False(UploadPage.ShowsScriptError(await page.Locator("body").InnerTextAsync()));
        await UploadPage.WaitUntilUploadIsEnabledAsync(page);
    }

    /// <summary>Two CT images of one new study and x.dcm, random bytes that are no DICOM object.</summary>
    private async Task<List<string>> WriteFilesAsync()
    {
        var study = $"1.2.826.0.1.3680043.17.{Random.Shared.Next(1, int.MaxValue)}";
        var files = new List<string>();
        for (var i = 1; i <= 2; i++)
        {
            files.Add(Path.Combine(_folder, $"IM{i}.dcm"));
            await File.WriteAllBytesAsync(files[^1], DicomSamples.CtImage(study: study, instance: i));
        }

        var garbage = new byte[4096];
        new Random(17).NextBytes(garbage);
        files.Add(Path.Combine(_folder, "x.dcm"));
        await File.WriteAllBytesAsync(files[^1], garbage);
        return files;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
