namespace TrialFlow.Web.Tests.Browser;

[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class QcEditorBrowserTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_qc_lead_tightens_a_threshold_sees_the_dry_run_change_publishes_and_finds_it_in_the_history()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        using (var site = await app.ClientAsync("t-siteuser"))
        {
            using var body = new MultipartContent("related", "B-" + Guid.NewGuid().ToString("N"));
            body.Add(new ByteArrayContent(DicomSamples.CtImage(study: $"1.2.826.0.1.3680043.7.{Random.Shared.Next(1, int.MaxValue)}"))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") },
            });
            (await site.PostAsync("/dicomweb/studies", body)).EnsureSuccessStatusCode();
        }
        await app.WaitForReceiptsAsync(r => r.Outcome == IntakeOutcome.Archived && r.Channel == IntakeChannel.StowRs && r.ReceivedAt >= before);

        var shipped = await app.QueryAsync(async db => (await app.Services.GetRequiredService<TrialFlow.Qc.Service.QcRulesetStore>().ActiveAsync(db, CancellationToken.None)).Version.Content);
        try
        {
            await TightenAndPublishAsync();
        }
        finally
        {
            // The host is shared by the browser tests: the next one (a qualification scan judged by QC) must meet the
            // shipped thresholds again, so the shipped ruleset is published back as the newest version.
            await app.QueryAsync(db => app.Services.GetRequiredService<TrialFlow.Qc.Service.QcRulesetStore>()
                .PublishAsync(db, shipped, "the QC editor test restores the shipped ruleset", CancellationToken.None));
        }
    }

    private async Task TightenAndPublishAsync()
    {
        await using var browser = await Browsers.ChromiumAsync();
        var page = await browser.SignedInPageAsync(app, "t-qclead", "/qc/ruleset");

        await page.WaitForInteractiveAsync("#qc-editor-ready");
        await page.Locator("#ruleset-valid").WaitForAsync();
        await page.ClickAsync("#dry-run");
        await page.Locator("#dry-run-outcome").WaitForAsync();
        Assert.DoesNotContain("QC-SLICE-THICKNESS", await page.Locator("#dry-run-findings").InnerTextAsync());

        // The sample's slices are 1.25 mm; a 1 mm maximum makes the thickness rule fire.
        var draft = page.Locator("textarea").First;
        var yaml = await draft.InputValueAsync();
        Assert.Contains("max: p.SliceThicknessMax }", yaml);
        await draft.FillAsync(yaml.Replace("max: p.SliceThicknessMax }", "max: 1.0 }"));
        await page.Locator("#dry-run-outcome").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.Locator("#ruleset-valid").WaitForAsync();
        await page.ClickAsync("#dry-run");
        await page.Locator("#dry-run-outcome").WaitForAsync();
        Assert.Contains("QC-SLICE-THICKNESS", await page.Locator("#dry-run-findings").InnerTextAsync());

        await page.Locator("#publish-reason").FillAsync("Thin-slice reconstructions only (imaging manual v2.1)");
        await page.WaitForFunctionAsync("() => !document.querySelector('#publish').disabled");
        await page.ClickAsync("#publish");
        var message = page.Locator("#qc-editor-message");
        await message.WaitForAsync();
        Assert.Contains("Published version", await message.InnerTextAsync());
        Assert.Contains("Thin-slice reconstructions only (imaging manual v2.1)", await page.Locator("#ruleset-history").InnerTextAsync());
        Assert.Contains("+", await page.Locator("#ruleset-diff").InnerTextAsync());
        Assert.Contains("max: 1.0 }", await page.Locator("#ruleset-diff").InnerTextAsync());
    }
}
