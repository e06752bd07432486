using System.Text.RegularExpressions;
using static TrialFlow.Web.Tests.Support.Browsers;

namespace TrialFlow.Web.Tests.Retrieval;

/// <summary>The Retrospective pulls pages in a real browser, as a data manager pulling from site 101's PACS (Orthanc).</summary>
[Collection(PullCollection.Name), Trait("Category", "Browser")]
public sealed class PullBrowserTests(PullApp app)
{
    [Fact]
    public async Task A_data_manager_tests_the_PACS_plans_a_cohort_starts_it_and_watches_it_archive()
    {
        await app.RegisterPacsAsync();
        await app.RegisterSubjectsAsync("101-9B1");
        await app.LoadStudyAsync("MRN-B1", "1.2.826.0.1.3680043.8.498.76.1", 2, "20250607");
        var folder = Directory.CreateTempSubdirectory("trialflow-browser-pull-").FullName;
        var cohort = Path.Combine(folder, "cohort-b.csv");
        await File.WriteAllTextAsync(cohort, "subject_id,patient_id\n101-9B1,MRN-B1\n");
        try
        {
            await using var browser = await ChromiumAsync();
            var page = await browser.SignedInPageAsync(app, "t-datamanager", "/retrieval");
            await page.WaitForInteractiveAsync("#pulls-page");
            await UntilAsync(async () => await page.InputValueAsync("#pacs-ae") == "ORTHANC", "the registered PACS in the form");

            await page.ClickAsync("#pacs-check");
            var message = page.Locator("#pacs-message");
            await message.WaitForAsync();
            await Assertions.Expect(message).ToContainTextAsync("C-ECHO to ORTHANC@127.0.0.1");
            await Assertions.Expect(message).ToContainTextAsync("QIDO-RS at");

            await page.WaitForFunctionAsync("() => document.querySelector('#pull-cohort')?._blazorInputFileNextFileId !== undefined");
            await page.SetInputFilesAsync("#pull-cohort", cohort);
            await page.WaitForFunctionAsync("() => !document.querySelector('#pull-plan-button').disabled");
            await page.ClickAsync("#pull-plan-button");

            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/retrieval/[0-9a-f-]{36}$"));
            await page.WaitForInteractiveAsync("#pull-page");
            await Assertions.Expect(page.Locator("#pull-totals")).ToContainTextAsync("0 of 1 studies retrieved");
            await Assertions.Expect(page.Locator("#pull-items")).ToContainTextAsync("2025-06-07");
            await page.ClickAsync("#pull-start");

            await Assertions.Expect(page.Locator("#pull-state")).ToHaveTextAsync("Completed");
            await Assertions.Expect(page.Locator("#pull-totals")).ToContainTextAsync("1 of 1 studies retrieved · 2 of 2 objects received · 2 archived");
            await Assertions.Expect(page.Locator("#pull-subjects")).ToContainTextAsync("101-9B1");
            Assert.True(await page.Locator("#pull-start").IsDisabledAsync());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Site_staff_have_no_pull_page_in_their_menu()
    {
        await using var browser = await ChromiumAsync();
        var page = await browser.SignedInPageAsync(app, "t-siteuser", "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Upload images" }).WaitForAsync();

        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Retrospective pulls" }).CountAsync());
    }
}
