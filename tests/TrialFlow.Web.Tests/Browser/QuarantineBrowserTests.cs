using TrialFlow.Core.Notifications;
using static TrialFlow.Web.Tests.Api.QuarantineStudiesTests;
using static TrialFlow.Web.Tests.Support.Browsers;

namespace TrialFlow.Web.Tests.Browser;

/// <summary>The quarantine page in a real browser: studies, not files; one reason for the selection; notices on top.</summary>
[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class QuarantineBrowserTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_data_manager_selects_a_held_study_types_a_reason_and_releases_it_to_a_subject_and_the_study_leaves_the_list()
    {
        var patient = NewPatientId();
        var study = NewStudyUid();
        var held = await HeldObjects.UploadAsync(app, [DicomSamples.CtImage(patientId: patient, study: study, instance: 1), DicomSamples.CtImage(patientId: patient, study: study, instance: 2)]);
        var key = held[0].StudyKey!;
        var notice = $"2 objects from site 101 could not be processed and are held ({Guid.NewGuid():N})";
        await app.QueryAsync(db =>
        {
            db.StaffNotifications.Add(new StaffNotification(app.TrialId, app.Sites["101"], TrialFlowRoles.DataManager, "Objects held: processing failed", notice, "/quarantine", DateTime.UtcNow));
            return db.SaveChangesAsync("test: intake raised a notice");
        });
        await using var browser = await ChromiumAsync();
        var page = await browser.SignedInPageAsync(app, "t-datamanager", "/quarantine");
        await page.WaitForInteractiveAsync("#quarantine-decision");

        Assert.Contains(notice, await page.Locator("#staff-notices").InnerTextAsync());
        var row = page.Locator("#quarantine-table tr", new() { Has = page.Locator($"[data-group='{key}']") });
        Assert.Equal("…" + patient[^4..], (await row.Locator("[data-column=patient]").InnerTextAsync()).Trim());
        Assert.Equal("2", (await row.Locator("[data-column=files]").InnerTextAsync()).Trim());
        Assert.Contains("UnknownSubject ×2", await row.Locator("[data-column=reasons]").InnerTextAsync());
        await row.Locator(".quarantine-expand").ClickAsync();
        await Assertions.Expect(page.Locator($"[data-files-of='{key}'] tr[data-item]")).ToHaveCountAsync(2);

        await row.Locator(".quarantine-select input").CheckAsync();
        await ChooseAsync(page, page.Locator("#quarantine-subject [role=combobox]").First, "101-003");
        Assert.True(await page.Locator("#quarantine-release").IsDisabledAsync(), "Release must wait for a reason");
        await page.Locator("#quarantine-reason").PressSequentiallyAsync("Site confirmed the MRN belongs to 101-003");
        // Enabled while the reason field still has the focus: the reason is bound as it is typed, not when the field is left.
        await page.WaitForFunctionAsync("() => !document.querySelector('#quarantine-release').disabled");
        Assert.Equal("quarantine-reason", await page.EvaluateAsync<string>("() => document.activeElement?.id"));
        await page.ClickAsync("#quarantine-release");

        await row.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Contains("2 objects of 1 study released to 101-003.", await page.Locator("#quarantine-message").InnerTextAsync());
    }
}
