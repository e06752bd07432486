using static TrialFlow.Web.Tests.Support.Browsers;

namespace TrialFlow.Web.Tests.Browser;

/// <summary>The EDC pages in a real browser: reconciliation lists what the registry has without imaging; a registry file imports from the page.</summary>
[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class EdcBrowserTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_data_manager_sees_a_subject_the_EDC_enrolled_without_imaging_on_the_reconciliation_page()
    {
        var subjectKey = $"102-{Random.Shared.Next(100, 999)}";
        using (var edc = await app.ClientAsync("t-edcservice"))
        {
            using var pushed = await edc.PostAsJsonAsync($"/api/trials/{app.TrialId}/edc/enrolments",
                new { enrolments = new[] { new { subjectKey, siteNumber = "102", visits = new[] { new { visitKey = "BASELINE", date = (string?)"2026-05-04" } } } } });
            pushed.EnsureSuccessStatusCode();
        }
        await using var browser = await ChromiumAsync();
        var page = await browser.SignedInPageAsync(app, "t-datamanager", "/edc/reconciliation");

        var row = page.Locator("#reconciliation-table tr", new() { HasText = subjectKey });
        await row.WaitForAsync();
        var text = await row.InnerTextAsync();
        Assert.Contains("SubjectWithoutImaging", text);
        Assert.Contains("102", text);
        Assert.True(await page.Locator("#reconciliation-csv").IsVisibleAsync());
    }

    [Fact]
    public async Task A_data_manager_imports_a_registry_CSV_from_the_page_and_a_second_import_changes_nothing()
    {
        var subjectKey = $"201-{Random.Shared.Next(100, 999)}";
        var file = Path.Combine(Directory.CreateTempSubdirectory("trialflow-browser-edc-").FullName, "registry.csv");
        await File.WriteAllTextAsync(file, $"SubjectKey,SiteNumber,VisitKey,VisitDate\r\n{subjectKey},201,BASELINE,2026-05-11\r\n");
        try
        {
            await using var browser = await ChromiumAsync();
            var page = await browser.SignedInPageAsync(app, "t-datamanager", "/edc/import");
            // Blazor's InputFile listens for 'change' only after its JavaScript init, which runs after the first
            // interactive render (OnAfterRender): files set before are lost. The init marks the element; wait for it.
            await page.WaitForFunctionAsync("() => document.querySelector('#edc-import-file')?._blazorInputFileNextFileId !== undefined");

            await page.SetInputFilesAsync("#edc-import-file", file);
            await page.WaitForFunctionAsync("() => !document.querySelector('#edc-import-button').disabled");
            await page.ClickAsync("#edc-import-button");

            var summary = page.Locator("#edc-import-summary");
            await summary.WaitForAsync();
            Assert.Contains("registry.csv: 2 change(s) imported", await summary.InnerTextAsync());
            Assert.Contains(subjectKey, await page.Locator("#edc-import-changes").InnerTextAsync());

            await page.SetInputFilesAsync("#edc-import-file", file);
            await page.ClickAsync("#edc-import-button");
            await page.GetByText("nothing to change; the registry is already in step").WaitForAsync();
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
