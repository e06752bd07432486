namespace TrialFlow.Web.Tests.Browser;

/// <summary>Real browser tests: Debian's chromium driven by Playwright against TrialFlow on Kestrel.</summary>
[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class BrowserTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_study_manager_signs_in_and_sees_the_dashboard_with_the_demo_trials_sites()
    {
        await using var browser = await ChromiumAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
        await page.WaitForURLAsync("**/account/login**");
        await page.FillAsync("#userName", "t-studymanager");
        await page.FillAsync("#password", TrialFlowApp.Password);
        await page.ClickAsync("#sign-in");

        var table = page.Locator("#sites-table");
        await table.WaitForAsync();
        foreach (var site in new[] { "Universitätsklinikum Nordstadt", "Hôpital Saint-Éloi du Parc", "Sakura Medical University Hospital" })
            Assert.True(await table.GetByText(site).IsVisibleAsync(), $"site {site} not on the dashboard");
        // The demo's eight and any a test of this host onboarded before (browser tests run one at a time).
        Assert.Equal((await app.QueryAsync(db => db.Sites.CountAsync())).ToString(CultureInfo.InvariantCulture), (await page.Locator("#count-sites").InnerTextAsync()).Trim());
        Assert.Contains("TF-ONC-301", await page.Locator("h1").First.InnerTextAsync());
        Assert.Contains("Test StudyManager", await page.Locator("#signed-in-user").InnerTextAsync());

        // The menu follows the role: a study manager reads the audit trail but does not administer users.
        Assert.True(await page.GetByRole(AriaRole.Link, new() { Name = "Audit trail" }).IsVisibleAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Users & roles" }).CountAsync());
    }

    [Fact]
    public async Task A_data_manager_sees_intake_by_site_and_can_decide_on_held_objects()
    {
        await using var browser = await ChromiumAsync();
        var page = await browser.SignedInPageAsync(app, "t-datamanager", "/intake");

        var sites = page.Locator("#intake-sites");
        await sites.WaitForAsync();
        Assert.True(await sites.GetByText("Universitätsklinikum Nordstadt").IsVisibleAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Quarantine" }).ClickAsync();
        await page.Locator("#quarantine-table").WaitForAsync();
        // The decision panel sits in an AuthorizeView, which may render after the table: wait for it (fails on timeout).
        await page.Locator("#quarantine-decision").WaitForAsync();
    }

    [Fact]
    public async Task A_site_user_uploads_files_in_the_browser_and_sees_progress_and_the_summary()
    {
        var folder = Directory.CreateTempSubdirectory("trialflow-browser-upload-").FullName;
        try
        {
            var study = $"1.2.826.0.1.3680043.4.{Random.Shared.Next(1, int.MaxValue)}";
            var files = new List<string>();
            for (var i = 1; i <= 2; i++)
            {
                files.Add(Path.Combine(folder, $"IM{i}.dcm"));
                await File.WriteAllBytesAsync(files[^1], TrialFlow.Testing.DicomSamples.CtImage(study: study, instance: i));
            }

            files.Add(Path.Combine(folder, "notes.txt"));
            await File.WriteAllTextAsync(files[^1], "not an image");
            await using var browser = await ChromiumAsync();
            var page = await browser.SignedInPageAsync(app, "t-siteuser", "/upload");
            await WaitUntilUploadFormIsInteractiveAsync(page);

            await page.SetInputFilesAsync("#upload-files", files);
            await page.ClickAsync("#upload-start");

            var summary = page.Locator("#upload-summary");
            await summary.WaitForAsync();
            var text = await summary.InnerTextAsync();
            // notes.txt is refused at intake's door: not received, listed with the reason.
            Assert.Contains("2 received · 2 archived · 0 already archived · 0 held for review · 1 not accepted", text);
            Assert.Contains("notes.txt", text);
            Assert.Contains("not a readable DICOM object", text);
            Assert.Contains("3 / 3 files", await page.Locator("#upload-progress-text").InnerTextAsync());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_upload_whose_connection_drops_resumes_where_the_server_stopped_receiving()
    {
        var folder = Directory.CreateTempSubdirectory("trialflow-browser-resume-").FullName;
        try
        {
            // 1,200 × 1,200 pixels of 16 bits: about 2.9 MB, three 1 MiB chunks.
            var file = Path.Combine(folder, "IM1.dcm");
            await File.WriteAllBytesAsync(file, TrialFlow.Testing.DicomSamples.CtImage(study: $"1.2.826.0.1.3680043.5.{Random.Shared.Next(1, int.MaxValue)}", size: 1200));
            await using var browser = await ChromiumAsync();
            var page = await browser.NewPageAsync();
            var chunkStarts = new List<string>();
            var dropped = false;
            await page.RouteAsync("**/api/uploads/*/files/*", async route =>
            {
                var range = route.Request.Method == "PUT" ? route.Request.Headers.GetValueOrDefault("content-range") : null;
                if (range is not null)
                    lock (chunkStarts)
                        chunkStarts.Add(range.Split(' ', '-')[1]);
                if (range is not null && range.StartsWith("bytes 1048576-", StringComparison.Ordinal) && !dropped)
                {
                    // The server receives the second chunk, but the connection drops before its answer reaches the browser.
                    dropped = true;
                    await route.FetchAsync();
                    await route.AbortAsync("connectionreset");
                    return;
                }
                await route.ContinueAsync();
            });
            await Browsers.SignInAsync(page, app, "t-siteuser", "/upload");
            await WaitUntilUploadFormIsInteractiveAsync(page);

            await page.SetInputFilesAsync("#upload-files", [file]);
            await page.ClickAsync("#upload-start");

            var summary = page.Locator("#upload-summary");
            await summary.WaitForAsync();
            Assert.Contains("1 received · 1 archived", await summary.InnerTextAsync());
            Assert.True(dropped);
            // Each chunk went once: after the drop the browser asked how far the server got and went on from there.
            Assert.Equal(["0", "1048576", "2097152"], chunkStarts);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_on_the_sign_in_page()
    {
        await using var browser = await ChromiumAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(app.BaseAddress, "/account/login").ToString());
        await page.FillAsync("#userName", "t-monitor");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#sign-in");

        var alert = page.GetByRole(AriaRole.Alert);
        await alert.WaitForAsync();
        Assert.Contains("wrong password", await alert.InnerTextAsync());
    }

    /// <summary>The site (the user's only one) is preselected and the form has been rendered interactively.</summary>
    private static async Task WaitUntilUploadFormIsInteractiveAsync(IPage page)
    {
        await page.WaitForInteractiveAsync("#upload-form");
        await page.WaitForFunctionAsync("() => !document.querySelector('#upload-start').disabled");
    }

    [Fact]
    public async Task A_study_manager_builds_a_workflow_by_drag_and_drop_publishes_it_and_reloads_it()
    {
        await using var browser = await ChromiumAsync();
        var page = await browser.SignedInPageAsync(app, "t-studymanager", "/workflows/designer/new");
        var canvas = page.Locator("#canvas");
        await page.Locator("#canvas .wf-node[data-activity='completed']").WaitForAsync();

        var id = $"wf-browser-{Random.Shared.Next(1000, 9999)}";
        await page.FillAsync("#workflow-id", id);
        await page.FillAsync("#workflow-name", "Browser-built workflow");
        await page.Locator(".wf-palette-item[data-type='SetStudyStatus']").DragToAsync(canvas, new() { TargetPosition = new() { X = 420, Y = 200 } });
        var status = page.Locator("#canvas .wf-node[data-activity='set-study-status']");
        await status.WaitForAsync();

        // Connect completed.done to the new activity's entry port with the mouse, as a user does.
        var from = (await page.Locator("#canvas .wf-node[data-activity='completed'] .wf-port-done").BoundingBoxAsync())!;
        var to = (await status.Locator(".wf-port-in").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(from.X + from.Width / 2, from.Y + from.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(to.X + to.Width / 2, to.Y + to.Height / 2, new() { Steps = 10 });
        await page.Mouse.UpAsync();
        await page.Locator(".diagram-link").First.WaitForAsync();

        await status.ClickAsync();
        await page.Locator("#property-panel").WaitForAsync();
        await page.ClickAsync("#input-status");
        await page.GetByRole(AriaRole.Option, new() { Name = "InReview" }).ClickAsync();
        await page.Locator("#validation-ok").WaitForAsync();
        await page.FillAsync("#publish-reason", "first version from the browser");
        await page.Locator("#publish").ClickAsync();
        await page.GetByText("Published version 1").WaitForAsync();

        await page.GotoAsync(new Uri(app.BaseAddress, $"/workflows/designer/{id}").ToString());
        await page.Locator("#canvas .wf-node[data-activity='set-study-status']").WaitForAsync();
        Assert.Contains("first version from the browser", await page.Locator("#versions").InnerTextAsync());
        Assert.Equal(1, await page.Locator(".diagram-link").CountAsync());
    }

    private static Task<BrowserSession> ChromiumAsync() => Browsers.ChromiumAsync();
}
