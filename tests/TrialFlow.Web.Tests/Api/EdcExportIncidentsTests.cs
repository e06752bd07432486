using System.Xml.Linq;
using TrialFlow.Edc;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Persistence;
using TrialFlow.Workflows.Runtime;

namespace TrialFlow.Web.Tests.Api;

/// <summary>A failed EDC export is an incident a data manager sends again: once, audited, under the failed step's key.</summary>
[Collection(AppCollection.Name)]
public sealed class EdcExportIncidentsTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_data_manager_sends_a_failed_export_again_which_resolves_the_incident_and_only_once()
    {
        var (incidentId, instanceId) = await FailedExportAsync(app);
        using var dataManager = await app.ClientAsync("t-datamanager");
        using var siteUser = await app.ClientAsync("t-siteuser");

        var open = await dataManager.GetFromJsonAsync<List<ExportIncident>>("/api/edc/export-incidents");
        using var refused = await siteUser.PostAsync($"/api/edc/export-incidents/{incidentId}/retry", null);
        using var sent = await dataManager.PostAsync($"/api/edc/export-incidents/{incidentId}/retry", null);
        var receipt = await sent.Content.ReadFromJsonAsync<VisitExportReceipt>();
        using var again = await dataManager.PostAsync($"/api/edc/export-incidents/{incidentId}/retry", null);

        Assert.Contains(open!, i => i.Id == incidentId);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Empty(OdmStructureValidator.Validate(XDocument.Load(receipt!.Target, LoadOptions.SetLineInfo)));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.DoesNotContain(await dataManager.GetFromJsonAsync<List<ExportIncident>>("/api/edc/export-incidents") ?? [], i => i.Id == incidentId);
        var events = await app.QueryAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => (e.Action == "WorkflowIncidentResolved" && e.EntityId == instanceId) || (e.Action == EdcVisitResultsExporter.ExportedAction && e.EntityId == instanceId + "/step-1"))
            .Select(e => new { e.Action, e.ActorRole }).ToListAsync());
        Assert.Contains(events, e => e.Action == "WorkflowIncidentResolved" && e.ActorRole == "DataManager");
        Assert.Single(events, e => e.Action == EdcVisitResultsExporter.ExportedAction);
    }

    /// <summary>An ExportToEdc incident for one of the demo's studies in review (they are matched to registered visits).</summary>
    internal static async Task<(long IncidentId, string InstanceId)> FailedExportAsync(TrialFlowApp app)
    {
        var studyId = await app.QueryAsync(db => db.Studies.Where(s => s.VisitId != null && s.Description!.StartsWith("Demo CT")).Select(s => s.Id).FirstAsync());
        var instanceId = $"test-{Guid.NewGuid():N}";
        var store = app.Services.GetRequiredService<WorkflowStore>();
        await using var wf = store.Context();
        var incident = new WorkflowIncident
        {
            InstanceId = instanceId, ExecutionPointerId = "step-1", ActivityId = "export-to-edc", ActivityType = "ExportToEdc",
            StudyId = studyId, Attempts = 5, Message = $"the EDC answered 503 to {instanceId}", OccurredAt = DateTime.UtcNow,
        };
        using (await store.WriteLockAsync())
        {
            wf.Incidents.Add(incident);
            await wf.SaveChangesAsync();
        }
        return (incident.Id, instanceId);
    }
}

/// <summary>The same incident sent again in chromium; in the browser collection, so it runs alone (see <see cref="BrowserCollection"/>).</summary>
[Collection(BrowserCollection.Name), Trait("Category", "Browser")]
public sealed class EdcExportIncidentsBrowserTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_data_manager_sends_it_again_from_the_reconciliation_page_and_an_inspector_has_no_button()
    {
        var (incidentId, instanceId) = await EdcExportIncidentsTests.FailedExportAsync(app);
        await using var browser = await Browsers.ChromiumAsync();
        var inspector = await browser.SignedInPageAsync(app, "t-inspector", "/edc/reconciliation");
        await inspector.WaitForInteractiveAsync("#export-incidents");
        Assert.Contains($"the EDC answered 503 to {instanceId}", await inspector.Locator("#export-incidents").InnerTextAsync());
        Assert.Equal(0, await inspector.Locator("#export-incidents .resend-export").CountAsync());

        var page = await browser.SignedInPageAsync(app, "t-datamanager", "/edc/reconciliation");
        await page.WaitForInteractiveAsync("#export-incidents");
        await page.Locator("#export-incidents tr", new() { HasText = instanceId }).Locator(".resend-export").ClickAsync();

        await Microsoft.Playwright.Assertions.Expect(page.Locator("#export-incident-message")).ToContainTextAsync("the incident is resolved");
        Assert.DoesNotContain(await app.Services.GetRequiredService<ExportIncidents>().OpenAsync(), i => i.Id == incidentId);
    }
}
