using static TrialFlow.Web.Tests.Support.Browsers;

namespace TrialFlow.Web.Tests.Browser;

/// <summary>
/// Site start-up in a real browser: a study manager onboards a site, the site's PACS sends its test transfer (held), the
/// study manager records the checklist with evidence, the site's coordinator uploads a qualification scan that qualifies
/// its CT scanner, and the site becomes Active — not before every required item is done.
/// </summary>
[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class ActivationBrowserTests(TrialFlowApp app) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("trialflow-activation-browser-").FullName;

    [Fact]
    [Trait("Category", "Peer")]
    public async Task A_study_manager_onboards_a_site_its_coordinator_qualifies_its_scanner_and_the_site_is_activated_once_its_checklist_is_done()
    {
        var n = Random.Shared.Next(10_000, 99_999);
        var (number, aeTitle, siteUser) = ($"8{n}", $"EVORA_{n}", $"t-evora-{n}");
        await using var browser = await ChromiumAsync();
        var page = await browser.SignedInPageAsync(app, "t-studymanager", "/activation");
        await page.WaitForInteractiveAsync("#activation-interactive");

        await page.Locator("#onboard-number").FillAsync(number);
        await page.Locator("#onboard-name").FillAsync("Clínica Universitária de Évora");
        await page.Locator("#onboard-country").FillAsync("PT");
        await page.Locator("#onboard-timezone").FillAsync("Europe/Lisbon");
        await page.Locator("#onboard-aetitles").FillAsync(aeTitle);
        await page.Locator("#onboard-networks").FillAsync("127.0.0.0/8");
        await page.Locator("#onboard-site").ClickAsync();
        await page.WaitForURLAsync("**/activation/sites/**");
        var siteId = await app.QueryAsync(db => db.Sites.Where(s => s.SiteNumber == number).Select(s => s.Id).SingleAsync());

        // The site's coordinator gets an account, and its PACS sends the test transfer: held, since the site is not Active.
        await app.AddSiteUserAsync(siteUser, siteId);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "ct1.dcm"), DicomSamples.CtImage(patientId: "TEST-TRANSFER", instance: 1));
        var (exit, output) = await Dcmtk.RunAsync("storescu", "-aet", aeTitle, "-aec", "TRIALFLOW", "127.0.0.1", app.DicomPort.ToString(), _folder, "+sd");
        Assert.True(exit == 0, output);
        Assert.Equal(IntakeOutcome.Quarantined, Assert.Single(await app.WaitForReceiptsAsync(r => r.SiteId == siteId)).Outcome);

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync("#site-activation-interactive");
        Assert.Equal("Planned", (await page.Locator("#site-status").InnerTextAsync()).Trim());
        await ChangeStatusAsync(page, "Qualifying", "site selection visit 2026-06-01");
        await Assertions.Expect(page.Locator("#site-status")).ToHaveTextAsync("Qualifying");

        await ChangeStatusAsync(page, "Active", "all set, we think");
        await Assertions.Expect(page.Locator("#activation-message")).ToContainTextAsync($"Site {number} cannot become Active");
        await Assertions.Expect(page.Locator("#site-status")).ToHaveTextAsync("Qualifying");

        var agreement = Path.Combine(_folder, "DSA signed.pdf");
        await File.WriteAllTextAsync(agreement, "%PDF-1.7 data-sharing agreement");
        foreach (var key in new[] { "protocol-acknowledged", "imaging-manual", "staff-trained", "data-sharing-agreement" })
        {
            // The data-sharing agreement itself is attached as a file.
            if (key == "data-sharing-agreement")
                await page.Locator(".evidence-file-data-sharing-agreement").SetInputFilesAsync(agreement);
            await page.Locator($".evidence-{key} input").FillAsync($"eTMF {number}/{key}, 2026-06-02");
            await page.Locator($".record-{key}").ClickAsync();
            await Assertions.Expect(page.Locator("#activation-message")).ToContainTextAsync("Recorded:");
            await Assertions.Expect(page.Locator("#checklist tr", new() { HasText = $"eTMF {number}/{key}" }).Locator(".item-state-done")).ToHaveCountAsync(1);
        }
        await Assertions.Expect(page.Locator(".evidence-file-link")).ToHaveTextAsync("DSA signed.pdf");

        // The site's coordinator qualifies the CT scanner: a phantom scan uploaded as a qualification scan, judged by QC.
        await UploadQualificationScanAsync(browser, siteUser);
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync("#site-activation-interactive");
        await Assertions.Expect(page.Locator("#checklist tr", new() { HasText = "CT scanner qualified" }).Locator(".item-state-done")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#qualified-scanners .qualified-scanner")).ToHaveTextAsync("SIEMENS SOMATOM Force");
        await ChangeStatusAsync(page, "Active", "checklist complete, SIV report filed");

        await Assertions.Expect(page.Locator("#site-status")).ToHaveTextAsync("Active");
        Assert.Equal(SiteStatus.Active, await app.QueryAsync(db => db.Sites.Where(s => s.Id == siteId).Select(s => s.Status).SingleAsync()));
        Assert.Contains("checklist complete, SIV report filed", await page.Locator("#status-history").InnerTextAsync());
    }

    private async Task UploadQualificationScanAsync(BrowserSession browser, string siteUser)
    {
        var files = new List<string>();
        foreach (var file in new CtStudy($"1.2.826.0.1.3680043.13.{Random.Shared.Next(1, int.MaxValue)}", PatientId: "PHANTOM-ACR").Files())
        {
            files.Add(Path.Combine(_folder, $"phantom{files.Count + 1}.dcm"));
            await File.WriteAllBytesAsync(files[^1], file);
        }
        var page = await browser.SignedInPageAsync(app, siteUser, "/upload");
        await page.WaitForInteractiveAsync("#upload-form");

        await page.Locator("#upload-qualification input").CheckAsync();
        await Assertions.Expect(page.Locator("#qualification-scans")).ToContainTextAsync("None yet");
        await page.SetInputFilesAsync("#upload-files", files);
        await page.ClickAsync("#upload-start");
        await Assertions.Expect(page.Locator("#upload-summary")).ToContainTextAsync("4 received · 4 archived");

        // QC judges the scan in the background; the coordinator refreshes until the verdict is in.
        var passed = page.Locator(".qualification-scan[data-status=Passed]");
        await Eventually.UntilAsync(async () =>
        {
            await page.Locator("#qualification-refresh").ClickAsync();
            return await passed.CountAsync() == 1;
        }, shown => shown, "the qualification scan to pass QC on the upload page", _ => Describe(siteUser), within: Browsers.Timeout);
        await Assertions.Expect(passed.Locator(".qualification-status")).ToHaveTextAsync("Passed: scanner qualified");
        await page.CloseAsync();
    }

    /// <summary>What the database says of the coordinator's qualification scans, for a failure message.</summary>
    private string Describe(string siteUser)
    {
        var scans = app.QueryAsync(db => db.QualificationScans.Where(q => db.SiteMemberships.Any(m => m.SiteId == q.SiteId && db.Users.Any(u => u.Id == m.UserId && u.UserName == siteUser)))
            .Select(q => $"{q.Status} {q.Outcome} ({q.NumberOfImages} images) {q.Findings}").ToListAsync()).GetAwaiter().GetResult();
        return scans.Count == 0 ? "no qualification scan in the database" : string.Join("; ", scans);
    }

    private static async Task ChangeStatusAsync(IPage page, string status, string reason)
    {
        await ChooseAsync(page, page.Locator("#next-status [role=combobox]").First, status);
        await page.Locator("#status-reason").FillAsync(reason);
        await page.Locator("#change-status").ClickAsync();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
