namespace TrialFlow.Web.Tests.Trials;

/// <summary>
/// A second trial created from a template beside the demo's, on a host of its own (other tests count the demo's trial):
/// what each trial's people see of the other through the API, DICOMweb and the audit trail.
/// </summary>
[Collection(TrialsSideBySideCollection.Name)]
public sealed class TrialsSideBySideTests(TrialsSideBySideApp app)
{
    [Fact]
    public async Task A_trial_created_from_the_template_has_its_schedule_review_settings_and_bound_workflow_copies()
    {
        var b = await app.TrialBAsync();
        using var admin = await app.ClientAsync("t-administrator");

        var schedule = await admin.GetFromJsonAsync<JsonElement>($"/api/trials/{b.Id}/visit-schedule");
        var review = await admin.GetFromJsonAsync<JsonElement>($"/api/trials/{b.Id}/review/settings");

        Assert.Equal(["BASELINE", "WK06", "WK12", "WK18", "WK24", "EOT"], schedule.EnumerateArray().Select(v => v.GetProperty("visitKey").GetString()));
        Assert.Equal(2, review.GetProperty("readersPerTimepoint").GetInt32());
        Assert.Equal("recist-1.1", review.GetProperty("formTemplateId").GetString());
        Assert.Equal(["qc-gate-tf-side-b", "bicr-2-readers-adjudication-tf-side-b"], b.Workflows);
        var definitions = app.Services.GetRequiredService<TrialFlow.Workflows.Publishing.WorkflowDefinitions>();
        foreach (var id in b.Workflows)
        {
            Assert.Equal(b.Id, (await definitions.FindAsync(id))!.TrialId);
            Assert.Single(await definitions.VersionsAsync(id));
        }
        var trial = await app.QueryAsync(db => db.Trials.SingleAsync(t => t.Id == b.Id));
        Assert.Equal(("oncology-recist-bicr", "tf-onc-301-imaging-v2", "agreement-no-patient-age"), (trial.Template, trial.ProtocolRequirements, trial.DeidProfile));
        Assert.Contains(await app.QueryAsync(db => db.AuditEvents.Where(e => e.EntityType == "Trial" && e.EntityId == b.Id.ToString()).Select(e => e.Reason).ToListAsync()),
            r => r == "trial TF-SIDE-B created from template oncology-recist-bicr");
    }

    [Fact]
    public async Task A_study_manager_of_the_demo_trial_sees_nothing_of_the_other_and_cannot_onboard_a_site_into_it()
    {
        var b = await app.TrialBAsync();
        using var demoManager = await app.ClientAsync("t-studymanager");

        var trials = await demoManager.GetFromJsonAsync<JsonElement>("/api/trials");
        Assert.Equal(["TF-ONC-301"], trials.EnumerateArray().Select(t => t.GetProperty("protocolId").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await demoManager.GetAsync($"/api/trials/{b.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await demoManager.GetAsync($"/api/trials/{b.Id}/dashboard")).StatusCode);
        Assert.Equal("[]", await demoManager.GetStringAsync($"/api/trials/{b.Id}/sites"));
        Assert.Equal("[]", await demoManager.GetStringAsync($"/api/trials/{b.Id}/visit-schedule"));
        Assert.Equal(HttpStatusCode.NotFound, (await demoManager.GetAsync($"/api/trials/{b.Id}/review/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await demoManager.GetAsync($"/api/sites/{b.SiteId}/activation")).StatusCode);

        var onboard = await demoManager.PostAsJsonAsync($"/api/trials/{b.Id}/sites", new
        {
            siteNumber = "902", name = "Intruder Site", country = "PT", timeZone = "Europe/Lisbon", aeTitles = new[] { "INTRUDER_CT" }, senderNetworks = new[] { "127.0.0.0/8" },
        });
        Assert.Equal(HttpStatusCode.NotFound, onboard.StatusCode);
        Assert.False(await app.QueryAsync(db => db.Sites.AnyAsync(s => s.SiteNumber == "902")));
    }

    [Fact]
    public async Task The_other_trials_study_manager_sees_only_their_trial_its_site_and_none_of_the_demos_studies_or_audit_events()
    {
        var b = await app.TrialBAsync();
        var demoStudy = await app.ArchiveDemoStudyAsync();
        using var manager = await app.ClientAsync(TrialsSideBySideApp.ManagerOfB);

        var trials = await manager.GetFromJsonAsync<JsonElement>("/api/trials");
        var sites = await manager.GetFromJsonAsync<JsonElement>($"/api/trials/{b.Id}/sites");
        var qido = await manager.GetStringAsync($"/dicomweb/studies?StudyInstanceUID={demoStudy}");
        var audit = await manager.GetFromJsonAsync<JsonElement>("/api/audit/events?take=1000");

        Assert.Equal(["TF-SIDE-B"], trials.EnumerateArray().Select(t => t.GetProperty("protocolId").GetString()));
        Assert.Equal(["Clínica Bahía Azul"], sites.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("[]", await manager.GetStringAsync($"/api/trials/{app.TrialId}/sites"));
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/trials/{app.TrialId}/dashboard")).StatusCode);
        Assert.Equal("[]", qido);
        Assert.All(audit.EnumerateArray(), e => Assert.True(
            e.GetProperty("siteId").ValueKind == JsonValueKind.Null || e.GetProperty("siteId").GetGuid() == b.SiteId,
            $"audit event {e.GetProperty("sequence")} of site {e.GetProperty("siteId")} is another trial's"));
        // The demo trial's data manager, for contrast, finds the study.
        using var demoDataManager = await app.ClientAsync("t-datamanager");
        Assert.NotEqual("[]", await demoDataManager.GetStringAsync($"/dicomweb/studies?StudyInstanceUID={demoStudy}"));
    }

    [Fact]
    public async Task A_reader_of_the_other_trial_sees_neither_the_demo_trial_nor_any_site()
    {
        var b = await app.TrialBAsync();
        using var reader = await app.ClientAsync(TrialsSideBySideApp.ReaderOfB);

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/trials")).StatusCode);
        Assert.Equal("[]", await reader.GetStringAsync("/api/review/tasks"));
        Assert.Contains((await reader.GetAsync($"/api/sites/{app.Sites["101"]}/activation")).StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden });
        Assert.Contains((await reader.GetAsync($"/api/sites/{b.SiteId}/activation")).StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden });
    }

    [Fact]
    public async Task A_person_taken_off_a_trial_sees_it_no_more_from_their_next_request_and_the_creator_of_a_trial_works_on_it()
    {
        await app.TrialBAsync();
        using var admin = await app.ClientAsync("t-administrator");
        var userId = await app.AddUserThroughApiAsync("b-leaver", "StudyManager", (await app.TrialBAsync()).Id);
        using var leaver = await app.ClientAsync("b-leaver");
        Assert.Equal(["TF-SIDE-B"], (await leaver.GetFromJsonAsync<JsonElement>("/api/trials")).EnumerateArray().Select(t => t.GetProperty("protocolId").GetString()));

        // A trial the leaver creates is theirs, and not the demo trial's study manager's.
        var own = await leaver.PostAsJsonAsync("/api/trials", new { template = "oncology-recist-bicr", protocolId = "TF-LEAVER-C", sponsor = "Sponsor C", title = "Trial C", workflows = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(["TF-LEAVER-C", "TF-SIDE-B"], (await leaver.GetFromJsonAsync<JsonElement>("/api/trials")).EnumerateArray().Select(t => t.GetProperty("protocolId").GetString()));
        using var demoManager = await app.ClientAsync("t-studymanager");
        Assert.DoesNotContain("TF-LEAVER-C", await demoManager.GetStringAsync("/api/trials"));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{userId}/trials/{(await app.TrialBAsync()).Id}")).StatusCode);
        Assert.Equal(["TF-LEAVER-C"], (await leaver.GetFromJsonAsync<JsonElement>("/api/trials")).EnumerateArray().Select(t => t.GetProperty("protocolId").GetString()));
    }

    [Fact]
    public async Task The_demo_trials_study_manager_can_neither_overwrite_nor_publish_the_other_trials_workflow()
    {
        var b = await app.TrialBAsync();
        var definitions = app.Services.GetRequiredService<TrialFlow.Workflows.Publishing.WorkflowDefinitions>();
        var copy = b.Workflows[0];
        var record = (await definitions.FindAsync(copy))!;
        var demoManager = new Actor("u-sm-demo", "Sam Study-Manager", TrialFlowRoles.StudyManager, SiteScope.Of([app.TrialId], [app.Sites["101"]]));
        var document = TrialFlow.Workflows.Definitions.WorkflowJson.Parse(record.DraftJson, copy) with { Name = "hijacked" };

        var overwrite = await Assert.ThrowsAsync<TrialAccessDeniedException>(() => definitions.SaveDraftAsync(document, null, demoManager));
        var publish = await Assert.ThrowsAsync<TrialAccessDeniedException>(() => definitions.PublishAsync(copy, "not mine", demoManager));

        Assert.Equal((b.Id, b.Id), (overwrite.TrialId, publish.TrialId));
        Assert.NotEqual("hijacked", (await definitions.FindAsync(copy))!.Name);
        Assert.Single(await definitions.VersionsAsync(copy));
    }

    [Fact]
    public async Task A_request_that_names_what_is_not_there_is_refused_field_by_field_and_a_taken_protocol_id_whoever_can_see_it()
    {
        await app.TrialBAsync();
        using var manager = await app.ClientAsync(TrialsSideBySideApp.ManagerOfB);

        var invalid = await manager.PostAsJsonAsync("/api/trials", new
        {
            template = "oncology-recist-bicr", protocolId = "TF D", sponsor = "S", title = "T", deidProfile = "withdrawn-agreement", activationChecklist = "nope",
            review = new { formTemplate = "who-criteria", readersPerTimepoint = 9, adjudicationVariables = new[] { "Mood" }, taskDueDays = 0 },
            visitSchedule = new[] { new { visitKey = "BASELINE", name = "Baseline", nominalDay = 0, windowBeforeDays = 28, windowAfterDays = 0 }, new { visitKey = "WK06", name = "Week 6", nominalDay = -3, windowBeforeDays = -1, windowAfterDays = 7 } },
            workflows = new[] { "no-such-workflow" },
        });
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var taken = await manager.PostAsJsonAsync("/api/trials", new { template = "oncology-recist-bicr", protocolId = "TF-ONC-301", sponsor = "S", title = "T" });
        var unknownTemplate = await manager.PostAsJsonAsync("/api/trials", new { template = "cardiology", protocolId = "TF-E", sponsor = "S", title = "T" });

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["activationChecklist", "deidProfile", "protocolId", "review.adjudicationVariables", "review.formTemplate", "review.readersPerTimepoint", "review.taskDueDays", "visitSchedule", "workflows"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("withdrawn-agreement", errors.GetProperty("deidProfile")[0].GetString());
        Assert.Contains("Visit 2 ('WK06'): window days cannot be negative.", errors.GetProperty("visitSchedule").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownTemplate.StatusCode);
        Assert.False(await app.QueryAsync(db => db.Trials.AnyAsync(t => t.ProtocolId == "TF D" || t.ProtocolId == "TF-E")));
    }
}
