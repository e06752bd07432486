using TrialFlow.Review.Service;
using TrialFlow.Web.Tests.Viewer;

namespace TrialFlow.Web.Tests.Review;

/// <summary>
/// Issue 9's proof in chromium: two readers measure a follow-up in the viewer, complete RECIST and sign; they disagree;
/// the adjudicator resolves; the metrics count one adjudication. The host is one of its own (not the shared fixture):
/// assignment balances by open tasks across the whole pool, so other tests' readers and tasks would change who is chosen.
/// It runs in the browser collection (alone, one at a time) with its own host: a class fixture is preferred to the
/// collection's.
/// </summary>
[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class ReviewFlowBrowserTests(TrialFlowApp app) : IClassFixture<TrialFlowApp>
{
    private const string Subject = "201-001";

    [Fact]
    public async Task Two_readers_measure_and_sign_disagreeing_follow_ups_the_adjudicator_accepts_one_and_the_metrics_show_one_adjudication()
    {
        await using var browser = await Browsers.ChromiumAsync();
        var manager = await browser.NewPageAsync();
        await QualifyPoolAsync(manager);
        // Subject 201-001's baseline and week 6 scans arrive through STOW-RS and are archived; the pool's rules assign them.
        var baseline = await ViewerStudies.ArchiveCtStudyAsync(app, "t-siteuser-paris", Subject, "20260216");
        var week6 = await ViewerStudies.ArchiveCtStudyAsync(app, "t-siteuser-paris", Subject, "20260330");
        var baselineTasks = await AssignReadersAsync(baseline);
        var week6Tasks = await AssignReadersAsync(week6);
        var readers = baselineTasks.Select(t => t.Reader).ToList();
        // Fewest open tasks first: the demo readers hold the demo's tasks, the new readers none; each keeps their slot at week 6.
        Assert.Equal(["t-reader", "t-reader-2"], readers.Order());
        Assert.Equal(readers, week6Tasks.Select(t => t.Reader));
        Assert.Equal(["Baseline", "Week 6"], new[] { baselineTasks[0].Timepoint, week6Tasks[0].Timepoint });

        // Both baselines: T1 in the liver, 40 mm, signed through the API; they agree (a baseline has no response yet).
        foreach (var (task, reader) in baselineTasks.Select(t => (t.Id, t.Reader)))
        {
            using var client = await app.ClientAsync(reader);
            (await client.PostAsJsonAsync($"/api/review/tasks/{task}/sign", new { form = LiverBaseline, password = TrialFlowApp.Password })).EnsureSuccessStatusCode();
        }
        Assert.Null(await CompareReadsAsync(baseline));

        // Reader A sees T1 at 20 mm (−50 %: partial response); reader B at 45 mm (+12.5 %: stable disease).
        var shownA = await ReadFollowUpAsync(browser, readers[0], targetMm: 20, expectedResponse: "PR");
        var shownB = await ReadFollowUpAsync(browser, readers[1], targetMm: 45, expectedResponse: "SD");

        var adjudication = await CompareReadsAsync(week6);
        Assert.NotNull(adjudication);
        Assert.Equal("t-adjudicator", await UserNameAsync(adjudication.AdjudicatorUserId));

        var adjudicator = await browser.SignedInPageAsync(app, "t-adjudicator", "/review/adjudications");
        await adjudicator.WaitForInteractiveAsync("#adjudications");
        await adjudicator.Locator("#adjudications .open-adjudication").First.ClickAsync();
        await Expect(adjudicator.Locator("#differences"), "OverallResponse: PR vs SD");
        await Expect(adjudicator.Locator("#read-A"), Sum(shownA));
        await Expect(adjudicator.Locator("#read-A"), "PR");
        await Expect(adjudicator.Locator("#read-B"), Sum(shownB));
        await Expect(adjudicator.Locator("#read-B"), "SD");
        Assert.DoesNotContain("Test Reader", await adjudicator.Locator(".mud-main-content").InnerTextAsync());
        // The adjudicator looks at the images too: baseline beside week 6, both drawn.
        await adjudicator.Locator("#adjudication-image-viewer #viewport-0[data-drawn]").WaitForAsync();
        await adjudicator.Locator("#adjudication-image-viewer #viewport-1[data-drawn]").WaitForAsync();
        await adjudicator.WaitForInteractiveAsync("#decision");
        await adjudicator.GetByText("Accept read B").ClickAsync();
        await adjudicator.Locator("#rationale").FillAsync("Reader B measured T1 in its longest axis on the venous series.");
        await adjudicator.Locator("#decision-password").FillAsync(TrialFlowApp.Password);
        await Expect(adjudicator.Locator("#sign-decision"), "I confirm this adjudication");
        await adjudicator.Locator("#sign-decision").ClickAsync();
        await Expect(adjudicator.Locator("#decided"), "Reader B measured T1 in its longest axis");
        await Expect(adjudicator.Locator("#decided"), "“I confirm this adjudication”, signed by Test Adjudicator");
        await Expect(adjudicator.Locator("#read-B"), "Read B (accepted)");
        Assert.Equal((false, true), await app.QueryAsync(async db =>
            (await db.Reads.Where(r => r.Id == adjudication.ReadAId).Select(r => r.IsAccepted).SingleAsync(),
             await db.Reads.Where(r => r.Id == adjudication.ReadBId).Select(r => r.IsAccepted).SingleAsync())));

        // Two timepoints read twice, one adjudicated; the adjudicator sided with reader B.
        await manager.GotoAsync(new Uri(app.BaseAddress, "/review/manage").ToString());
        await Expect(manager.Locator("#adjudicated-count"), "1 (50");
        // Per reader: timepoints, adjudicated (rate), how often the adjudicator sided with them.
        foreach (var (reader, sided) in new[] { (readers[0], "0 of 1"), (readers[1], "1 of 1") })
            await Assertions.Expect(manager.Locator("#per-reader").GetByRole(AriaRole.Row, new() { Name = $"{await DisplayNameAsync(reader)} 2 1 (50 %) {sided}", Exact = true }))
                .ToBeVisibleAsync();
    }

    /// <summary>
    /// A reader opens the week 6 task from the worklist, measures T1 on the venous series of the follow-up beside the
    /// baseline, drops the length into the target-lesion row, completes the form and signs; returns the length shown.
    /// </summary>
    private async Task<string> ReadFollowUpAsync(BrowserSession browser, string reader, double targetMm, string expectedResponse)
    {
        var page = await browser.SignedInPageAsync(app, reader, "/review");
        await page.WaitForInteractiveAsync("#worklist");
        var row = page.Locator("#worklist tr", new() { HasText = "Week 6" });
        await Expect(row, "Read");
        await row.Locator(".open-task").ClickAsync();

        await Expect(page.Locator("#viewport-0 .tf-label"), "Baseline");
        var current = page.Locator("#viewport-1");
        await Expect(current.Locator(".tf-label"), "Week 6");
        await current.Locator(".tf-series").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await Expect(current.Locator(".tf-frame"), "1 / 3");

        // The 512-pixel image fills the overlay's width, 0.7 mm a pixel: drag as many screen pixels as the target needs.
        await current.Locator(".tf-overlay").ScrollIntoViewIfNeededAsync();
        var box = (await current.Locator(".tf-overlay").BoundingBoxAsync())!;
        var dx = Math.Round(targetMm / 0.7 * box.Width / 512);
        var (x, y) = (Math.Round(box.X + box.Width / 4), Math.Round(box.Y + box.Height / 2));
        await page.Mouse.MoveAsync((float)x, (float)y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(x + dx), (float)y, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        var shown = (dx * 512 / box.Width * 0.7).ToString("0.0", CultureInfo.InvariantCulture);
        await Expect(current.Locator(".tf-last-measure"), $"{shown} mm");

        var lesion = page.Locator(".group-row.targetLesions").First;
        await Expect(lesion.Locator(".use-measurement"), $"Use {shown} mm");
        await lesion.Locator(".use-measurement").ClickAsync();
        await Assertions.Expect(lesion.Locator("input[data-field=diameterMm]")).ToHaveValueAsync(shown);
        await Browsers.ChooseAsync(page, lesion.Locator("[data-field=status]"), "Measured");
        await Browsers.ChooseAsync(page, page.Locator("#read-form [data-field=imageQuality]").First, "Adequate");

        await page.Locator("#sign-password").FillAsync("not-the-password");
        await page.Locator("#sign-read").ClickAsync();
        // The refusal is said at the password and the Sign button, where the reader is looking, not above the form.
        await Expect(page.Locator(".mud-input-control:has(#sign-password)"), "The password is not correct");
        await page.Locator("#sign-password").FillAsync(TrialFlowApp.Password);
        await Expect(page.Locator("#sign-read"), "I confirm this assessment");
        await page.Locator("#sign-read").ClickAsync();
        await Expect(page.Locator("#read-message"), "Signed and locked.");
        await Expect(page.Locator("#read-status"), "version 1, Signed");
        await Expect(page.Locator("#signature"), $"Signed by {await DisplayNameAsync(reader)}");
        await Expect(page.Locator("#signature"), "“I confirm this assessment”");
        await Expect(page.Locator("[data-computed=sumOfDiametersMm]"), Sum(shown));
        await Expect(page.Locator("[data-computed=overallResponse]"), expectedResponse);
        // Locked: no signing any more, the values are read-only, and the worklist lists the task as completed.
        Assert.Equal(0, await page.Locator("#sign-read").CountAsync());
        Assert.True(await lesion.Locator("input[data-field=diameterMm]").IsEditableAsync() is false);
        await page.GotoAsync(new Uri(app.BaseAddress, "/review").ToString());
        await Expect(page.Locator("#worklist tr", new() { HasText = "Week 6" }), "Completed");
        await page.Context.CloseAsync();
        return shown;
    }

    private static object LiverBaseline => new
    {
        fields = new Dictionary<string, string> { ["imageQuality"] = "Adequate" },
        groups = new Dictionary<string, object[]>
        {
            ["targetLesions"] = [new Dictionary<string, string> { ["lesionId"] = "T1", ["organ"] = "Liver", ["status"] = "Measured", ["diameterMm"] = "40" }],
        },
    };

    /// <summary>
    /// The review pool for this test, as a study manager sets it up: a reader and the adjudicator over the API, the
    /// second reader on the settings page, where the demo's adjudicator (whose password was printed once) is also
    /// taken out of the pool, so the decision falls to ours.
    /// </summary>
    private async Task QualifyPoolAsync(IPage manager)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TrialFlow.Web.Security.HostActorAccessor>().Set(TrialFlow.Core.Access.Actor.System("tests"));
            var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
            var second = new TrialFlowUser { UserName = "t-reader-2", DisplayName = "Test Reader Two" };
            Assert.True((await users.CreateAsync(second, TrialFlowApp.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(second, TrialFlowRoles.Reader)).Succeeded);
        }
        await app.JoinDemoTrialAsync("t-reader-2");
        using (var api = await app.ClientAsync("t-studymanager"))
            foreach (var (user, role) in new[] { ("t-reader", "Reader"), ("t-adjudicator", "Adjudicator") })
                (await api.PostAsJsonAsync($"/api/trials/{app.TrialId}/review/pool",
                    new { userName = user, role, trainingRecord = "RECIST 1.1 charter v2 training, certificate TF-T-2026", qualifiedOn = "2026-01-15" })).EnsureSuccessStatusCode();

        await Browsers.SignInAsync(manager, app, "t-studymanager", "/review/settings");
        await manager.WaitForInteractiveAsync("#settings-form");
        await Browsers.ChooseAsync(manager, manager.Locator("#add-reviewer [role=combobox]").First, "Test Reader Two (t-reader-2) · Reader");
        await manager.Locator("#training-record").FillAsync("RECIST 1.1 charter v2 training, certificate TF-T-2027");
        await manager.Locator("#qualified-on").FillAsync("2026-01-15");
        await manager.Locator("#qualify").ClickAsync();
        await Expect(manager.Locator("#settings-message"), "Test Reader Two is qualified as reader from 2026-01-15");
        await Expect(manager.Locator("#pool tr[data-user=t-reader-2]"), "TF-T-2027");

        var demoAdjudicator = manager.Locator("#pool tr[data-user=adjudicator]");
        await demoAdjudicator.Locator(".member-reason input").FillAsync("Demo adjudicator replaced for this test");
        await demoAdjudicator.Locator(".member-toggle").ClickAsync();
        await Expect(manager.Locator("#settings-message"), "is out of the adjudicator pool");
        await Expect(demoAdjudicator.Locator("td").Nth(4), "no");
        Assert.True(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.EntityType == "ReaderQualification" && e.Reason == "Demo adjudicator replaced for this test")));
    }

    /// <summary>The AssignReaders step: the coordinator chooses by the trial's rules and the change is saved with its reason.</summary>
    private async Task<List<(Guid Id, string Reader, string Timepoint)>> AssignReadersAsync(Guid studyId)
    {
        var coordinator = app.Services.GetRequiredService<ReviewCoordinator>();
        var tasks = await app.QueryAsync(async db =>
        {
            var outcome = await coordinator.AssignReadersAsync(db, studyId, CancellationToken.None);
            Assert.Null(outcome.Shortfall);
            await db.SaveChangesAsync("workflow AssignReaders (test)");
            return outcome.Tasks.OrderBy(t => t.Slot).Select(t => (t.Id, t.ReaderUserId, t.Timepoint)).ToList();
        });
        var named = new List<(Guid, string, string)>();
        foreach (var (id, reader, timepoint) in tasks)
            named.Add((id, await UserNameAsync(reader), timepoint));
        return named;
    }

    /// <summary>The CompareReads step: null when the reads agree, else the adjudication it opened.</summary>
    private Task<Adjudication?> CompareReadsAsync(Guid studyId)
    {
        var coordinator = app.Services.GetRequiredService<ReviewCoordinator>();
        return app.QueryAsync(async db =>
        {
            var outcome = await coordinator.CompareAsync(db, studyId, CancellationToken.None);
            await db.SaveChangesAsync("workflow CompareReads (test)");
            return outcome.Adjudication;
        });
    }

    /// <summary>A one-lesion sum as the calculator writes it (no trailing zero: 45.0 mm is "45").</summary>
    private static string Sum(string mm) => decimal.Parse(mm, CultureInfo.InvariantCulture).ToString("0.#", CultureInfo.InvariantCulture);

    private Task<string> UserNameAsync(string userId) => app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.UserName!).SingleAsync());

    private Task<string> DisplayNameAsync(string userName) => app.QueryAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.DisplayName).SingleAsync());

    private static Task Expect(ILocator locator, string text) =>
        Assertions.Expect(locator).ToContainTextAsync(text);
}
