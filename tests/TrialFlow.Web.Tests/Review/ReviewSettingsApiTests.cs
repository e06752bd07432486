namespace TrialFlow.Web.Tests.Review;

/// <summary>The study manager's review settings and reader pool: validation by name, reasons in the audit trail, and who may not.</summary>
[Collection(AppCollection.Name)]
public sealed class ReviewSettingsApiTests(TrialFlowApp app)
{
    private static readonly object Defaults = new { readersPerTimepoint = 2, adjudicationVariables = new[] { "OverallResponse" }, taskDueDays = 10, formTemplateId = "recist-1.1", reason = "tests: back to the defaults" };

    private string SettingsUrl => $"/api/trials/{app.TrialId}/review/settings";

    private string PoolUrl => $"/api/trials/{app.TrialId}/review/pool";

    [Fact]
    public async Task A_study_manager_changes_readers_and_adjudication_variables_with_a_reason_the_audit_keeps_and_bad_values_are_refused_by_name()
    {
        using var manager = await app.ClientAsync("t-studymanager");
        try
        {
            await Refused(manager, new { readersPerTimepoint = 6, adjudicationVariables = new[] { "OverallResponse" }, taskDueDays = 10, reason = "r" }, "1 to 5 independent readers");
            await Refused(manager, new { readersPerTimepoint = 2, adjudicationVariables = new[] { "OverallResponse", "TumourMood" }, taskDueDays = 10, reason = "r" }, "'TumourMood' is not an adjudication variable");
            await Refused(manager, new { readersPerTimepoint = 2, adjudicationVariables = Array.Empty<string>(), taskDueDays = 10, reason = "r" }, "at least one adjudication variable");
            await Refused(manager, new { readersPerTimepoint = 2, adjudicationVariables = new[] { "OverallResponse" }, taskDueDays = 10, formTemplateId = "who-1981", reason = "r" }, "'who-1981' is not in templates/forms");
            await Refused(manager, new { readersPerTimepoint = 3, adjudicationVariables = new[] { "OverallResponse" }, taskDueDays = 10, reason = " " }, "needs a reason");
            using (var unchanged = JsonDocument.Parse(await manager.GetStringAsync(SettingsUrl)))
                Assert.Equal(2, unchanged.RootElement.GetProperty("readersPerTimepoint").GetInt32());

            var changed = await manager.PutAsJsonAsync(SettingsUrl, new
            {
                readersPerTimepoint = 3, adjudicationVariables = new[] { "dateOfProgression", "OverallResponse" }, taskDueDays = 14, reason = "Charter amendment 2: a third reader for every timepoint",
            });
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            using var settings = JsonDocument.Parse(await manager.GetStringAsync(SettingsUrl));
            Assert.Equal(3, settings.RootElement.GetProperty("readersPerTimepoint").GetInt32());
            Assert.Equal(14, settings.RootElement.GetProperty("taskDueDays").GetInt32());
            Assert.Equal(["DateOfProgression", "OverallResponse"], settings.RootElement.GetProperty("adjudicationVariables").EnumerateArray().Select(v => v.GetString()));
            var audit = await app.QueryAsync(db => db.AuditEvents.Where(e => e.EntityType == "ReviewSettings" && e.Reason == "Charter amendment 2: a third reader for every timepoint").SingleAsync());
            Assert.Contains("\"ReadersPerTimepoint\":3", audit.NewValues);
            Assert.Contains("\"ReadersPerTimepoint\":2", audit.OldValues);
            Assert.Contains("DateOfProgression,OverallResponse", audit.NewValues);
        }
        finally
        {
            (await manager.PutAsJsonAsync(SettingsUrl, Defaults)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task A_reader_gets_403_for_the_settings_the_pool_and_the_settings_page_and_an_inspector_reads_but_cannot_change_them()
    {
        using var reader = await app.ClientAsync("t-reader");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync(SettingsUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsJsonAsync(SettingsUrl, Defaults)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync(PoolUrl, Qualification("t-reader", "2026-01-15"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsJsonAsync($"{PoolUrl}/{Guid.NewGuid()}/active", new { active = false, reason = "me" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/review/settings")).StatusCode);

        using var inspector = await app.ClientAsync("t-inspector");
        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync(SettingsUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.PutAsJsonAsync(SettingsUrl, Defaults)).StatusCode);

        using var manager = await app.ClientAsync("t-studymanager");
        var page = await manager.GetStringAsync("/review/settings");
        Assert.Contains("settings-form", page);
        Assert.Contains("Overall response (any timepoint)", page);
    }

    [Fact]
    public async Task The_pool_takes_only_users_with_the_reviewer_role_a_training_record_and_a_past_date_and_a_member_leaves_and_returns_with_a_reason()
    {
        await EnsureUserAsync("t-reader-pool", TrialFlowRoles.Reader);
        using var manager = await app.ClientAsync("t-studymanager");

        await RefusedPool(manager, Qualification("t-datamanager", "2026-01-15"), "does not have the Reader role");
        await RefusedPool(manager, Qualification("t-reader-pool", "2099-01-01"), "2099-01-01) is in the future");
        await RefusedPool(manager, new { userName = "t-reader-pool", role = "Reader", trainingRecord = "  ", qualifiedOn = "2026-01-15" }, "training record is required");
        Assert.Equal(HttpStatusCode.NotFound, (await manager.PostAsJsonAsync(PoolUrl, Qualification("nobody-by-that-name", "2026-01-15"))).StatusCode);

        var added = await manager.PostAsJsonAsync(PoolUrl, Qualification("t-reader-pool", "2026-01-15"));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        using var member = JsonDocument.Parse(await added.Content.ReadAsStringAsync());
        var id = member.RootElement.GetProperty("id").GetGuid();
        Assert.True(member.RootElement.GetProperty("active").GetBoolean());

        Assert.Equal(HttpStatusCode.BadRequest, (await manager.PutAsJsonAsync($"{PoolUrl}/{id}/active", new { active = false, reason = "" })).StatusCode);
        var removed = await manager.PutAsJsonAsync($"{PoolUrl}/{id}/active", new { active = false, reason = "Left the reading centre on 2026-11-30" });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.False(await app.QueryAsync(db => db.ReaderQualifications.Where(q => q.Id == id).Select(q => q.Active).SingleAsync()));
        Assert.True(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.EntityType == "ReaderQualification" && e.EntityId == id.ToString() && e.Reason == "Left the reading centre on 2026-11-30")));
        (await manager.PutAsJsonAsync($"{PoolUrl}/{id}/active", new { active = true, reason = "Back under contract" })).EnsureSuccessStatusCode();
        Assert.True(await app.QueryAsync(db => db.ReaderQualifications.Where(q => q.Id == id).Select(q => q.Active).SingleAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await manager.PutAsJsonAsync($"{PoolUrl}/{Guid.NewGuid()}/active", new { active = false, reason = "x" })).StatusCode);
    }

    private static object Qualification(string userName, string qualifiedOn) =>
        new { userName, role = "Reader", trainingRecord = "RECIST 1.1 charter v2 training, certificate TF-T-0042", qualifiedOn };

    private async Task Refused(HttpClient manager, object change, string why)
    {
        var response = await manager.PutAsJsonAsync(SettingsUrl, change);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(why, await response.Content.ReadAsStringAsync());
    }

    private async Task RefusedPool(HttpClient manager, object qualification, string why)
    {
        var response = await manager.PostAsJsonAsync(PoolUrl, qualification);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(why, await response.Content.ReadAsStringAsync());
    }

    private async Task EnsureUserAsync(string userName, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TrialFlow.Web.Security.HostActorAccessor>().Set(TrialFlow.Core.Access.Actor.System("tests"));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        if (await users.FindByNameAsync(userName) is not null)
            return;
        var user = new TrialFlowUser { UserName = userName, DisplayName = "Test Pool Reader" };
        Assert.True((await users.CreateAsync(user, TrialFlowApp.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        await app.JoinDemoTrialAsync(userName);
    }
}
