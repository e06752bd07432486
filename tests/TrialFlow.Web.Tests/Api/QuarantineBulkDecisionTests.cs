using TrialFlow.Web.Intake;
using static TrialFlow.Web.Tests.Api.QuarantineStudiesTests;

namespace TrialFlow.Web.Tests.Api;

/// <summary>
/// Many held objects decided at once with one reason: each still gets its own audited decision, and a batch that is
/// wrong (no subject where one is needed, objects the caller cannot see) is refused with nothing decided.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class QuarantineBulkDecisionTests(TrialFlowApp app)
{
    [Fact]
    public async Task Rejecting_a_study_with_one_reason_decides_every_file_with_its_own_audited_decision_and_deletes_the_bytes()
    {
        var held = await HoldStudyAsync(3);
        const string reason = "Sent to the wrong trial by the site (query Q-31); site informed";
        using var dataManager = await app.ClientAsync("t-datamanager");

        using var response = await dataManager.PostAsJsonAsync("/api/quarantine/reject", new { itemIds = held.Select(h => h.Id), reason });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<BatchDto>())!;
        Assert.Equal((3, 0), (result.Decided, result.Failed));
        Assert.All(result.Items, i => Assert.True(i.Decided, i.Problem));
        var stores = app.Services.GetRequiredService<IntakeStores>();
        foreach (var item in held)
        {
            var stored = await app.QueryAsync(db => db.QuarantineItems.SingleAsync(q => q.Id == item.Id));
            Assert.Equal((QuarantineStatus.Rejected, reason), (stored.Status, stored.Resolution));
            Assert.False(stores.Quarantine.Exists(item.BlobName), $"the bytes of {item.Id} are still in quarantine");
            var decision = await app.QueryAsync(db => db.AuditEvents.Where(e => e.EntityType == "QuarantineItem" && e.EntityId == item.Id.ToString() && e.Action == "Update").SingleAsync());
            Assert.Equal(("Test DataManager", reason), (decision.ActorName, decision.Reason));
        }
    }

    [Fact]
    public async Task Releasing_a_study_to_a_subject_archives_every_file_under_that_subject()
    {
        var held = await HoldStudyAsync(2);
        var subject = await app.QueryAsync(db => db.Subjects.Where(s => s.SubjectKey == "101-003").Select(s => s.Id).SingleAsync());
        using var dataManager = await app.ClientAsync("t-datamanager");

        using var response = await dataManager.PostAsJsonAsync("/api/quarantine/release",
            new { studyKeys = new[] { held[0].StudyKey }, subjectId = subject, resolution = "Site confirmed the MRN belongs to 101-003 (query Q-40)" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<BatchDto>())!.Decided);
        var session = held[0].UploadSessionId;
        var archived = await app.WaitForReceiptsAsync(r => r.UploadSessionId == session && r.Outcome == IntakeOutcome.Archived, count: 2);
        var studyIds = archived.Select(r => r.StudyId).Distinct().ToList();
        var subjects = await app.QueryAsync(db => db.Studies.Where(s => studyIds.Contains(s.Id)).Select(s => s.SubjectId).Distinct().ToListAsync());
        Assert.Equal(subject, Assert.Single(subjects));
    }

    [Fact]
    public async Task Releasing_a_processing_failed_study_without_a_subject_sends_its_files_through_intake_again_as_they_came()
    {
        var reference = $"pf-{Guid.NewGuid():N}";
        var study = NewStudyUid();
        // Patient ID 101-001 is a registered subject: as first sent, the objects archive once the fault is fixed.
        var held = await HeldObjects.ProcessingFailedAsync(app, reference,
            [DicomSamples.CtImage(patientId: "101-001", study: study, instance: 1), DicomSamples.CtImage(patientId: "101-001", study: study, instance: 2)]);
        using var dataManager = await app.ClientAsync("t-datamanager");

        using var response = await dataManager.PostAsJsonAsync("/api/quarantine/release",
            new { studyKeys = new[] { held[0].StudyKey }, resolution = "De-identification service restored (incident 17); sending again" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<BatchDto>())!;
        Assert.Equal((2, 0), (result.Decided, result.Failed));
        var archived = await app.WaitForReceiptsAsync(r => r.ClientReference == reference && r.Outcome == IntakeOutcome.Archived, count: 2);
        Assert.Equal(2, archived.Count);
        var stores = app.Services.GetRequiredService<IntakeStores>();
        foreach (var item in held)
        {
            var stored = await app.QueryAsync(db => db.QuarantineItems.SingleAsync(q => q.Id == item.Id));
            Assert.Equal((QuarantineStatus.Released, (Guid?)null), (stored.Status, stored.AssignedSubjectId));
            Assert.False(stores.Quarantine.Exists(item.BlobName));
        }
    }

    [Fact]
    public async Task Releasing_an_unknown_subject_item_without_a_subject_is_422_naming_the_reason_and_decides_nothing()
    {
        var item = (await HoldStudyAsync(1))[0];
        using var dataManager = await app.ClientAsync("t-datamanager");

        using var bulk = await dataManager.PostAsJsonAsync("/api/quarantine/release", new { itemIds = new[] { item.Id }, resolution = "Send it again" });
        using var single = await dataManager.PostAsJsonAsync($"/api/quarantine/{item.Id}/release", new { resolution = "Send it again" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bulk.StatusCode);
        Assert.Contains("held as UnknownSubject", await bulk.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, single.StatusCode);
        await AssertStillHeldAsync(item);
    }

    [Fact]
    public async Task Releasing_to_a_subject_of_another_site_or_a_selection_spanning_two_sites_is_422_and_decides_nothing()
    {
        var ours = (await HoldStudyAsync(1))[0];
        var theirs = (await HeldObjects.UploadAsync(app, [DicomSamples.CtImage(patientId: NewPatientId(), study: NewStudyUid())], "201", "t-siteuser-paris"))[0];
        var (subject101, subject201) = await app.QueryAsync(async db => (
            await db.Subjects.Where(s => s.SubjectKey == "101-003").Select(s => s.Id).SingleAsync(),
            await db.Subjects.Where(s => s.SiteId == app.Sites["201"]).Select(s => s.Id).FirstAsync()));
        using var dataManager = await app.ClientAsync("t-datamanager");

        using var otherSite = await dataManager.PostAsJsonAsync("/api/quarantine/release", new { itemIds = new[] { ours.Id }, subjectId = subject201, resolution = "x" });
        using var twoSites = await dataManager.PostAsJsonAsync("/api/quarantine/release", new { itemIds = new[] { ours.Id, theirs.Id }, subjectId = subject101, resolution = "x" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherSite.StatusCode);
        Assert.Contains("subject of the site that sent the objects", await otherSite.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twoSites.StatusCode);
        Assert.Contains("sites 101, 201", await twoSites.Content.ReadAsStringAsync());
        await AssertStillHeldAsync(ours);
        await AssertStillHeldAsync(theirs);
    }

    [Fact]
    public async Task Site_users_readers_and_inspectors_cannot_decide_in_bulk()
    {
        var item = (await HoldStudyAsync(1))[0];

        foreach (var user in new[] { "t-siteuser", "t-reader", "t-inspector" })
        {
            using var client = await app.ClientAsync(user);
            using var release = await client.PostAsJsonAsync("/api/quarantine/release", new { itemIds = new[] { item.Id }, subjectId = Guid.NewGuid(), resolution = "x" });
            using var reject = await client.PostAsJsonAsync("/api/quarantine/reject", new { itemIds = new[] { item.Id }, reason = "x" });
            Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (release.StatusCode, reject.StatusCode));
        }

        await AssertStillHeldAsync(item);
    }

    [Fact]
    public async Task Ids_the_caller_cannot_see_refuse_the_whole_batch()
    {
        var item = (await HoldStudyAsync(1))[0];
        using var dataManager = await app.ClientAsync("t-datamanager");

        using var unknownOnly = await dataManager.PostAsJsonAsync("/api/quarantine/reject", new { itemIds = new[] { Guid.NewGuid() }, reason = "x" });
        using var mixed = await dataManager.PostAsJsonAsync("/api/quarantine/reject", new { itemIds = new[] { item.Id, Guid.NewGuid() }, reason = "x" });

        Assert.Equal(HttpStatusCode.NotFound, unknownOnly.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mixed.StatusCode);
        Assert.Contains("Nothing was decided", await mixed.Content.ReadAsStringAsync());
        await AssertStillHeldAsync(item);
    }

    [Fact]
    public async Task A_decider_whose_scope_is_another_site_finds_none_of_site_101s_items()
    {
        // No role both decides and is limited to sites today; the site filter must still hold if one ever is.
        var item = (await HoldStudyAsync(1))[0];
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>()
            .Set(new Actor("test:paris-data-manager", "Paris data manager", TrialFlowRoles.DataManager, SiteScope.Of([app.TrialId], [app.Sites["201"]])));
        var batch = scope.ServiceProvider.GetRequiredService<QuarantineBatchDecisions>();

        var refused = await Assert.ThrowsAsync<QuarantineBatchRefusedException>(() => batch.RejectAsync(QuarantineSelection.Of(item.Id), "not ours", CancellationToken.None));

        Assert.True(refused.NothingFound);
        await AssertStillHeldAsync(item);
    }

    [Fact]
    public async Task An_item_decided_meanwhile_is_reported_and_the_rest_of_the_batch_is_decided()
    {
        var held = await HoldStudyAsync(2);
        using var dataManager = await app.ClientAsync("t-datamanager");
        (await dataManager.PostAsJsonAsync($"/api/quarantine/{held[0].Id}/reject", new { reason = "Duplicate of an archived image" })).EnsureSuccessStatusCode();

        using var response = await dataManager.PostAsJsonAsync("/api/quarantine/reject", new { itemIds = held.Select(h => h.Id), reason = "Wrong patient" });

        var result = (await response.Content.ReadFromJsonAsync<BatchDto>())!;
        Assert.Equal((1, 1), (result.Decided, result.Failed));
        Assert.Equal("already Rejected", result.Items.Single(i => i.ItemId == held[0].Id).Problem);
        Assert.True(result.Items.Single(i => i.ItemId == held[1].Id).Decided);
    }

    /// <summary>Uploads <paramref name="files"/> images of one new study with an unregistered Patient ID: intake holds them as UnknownSubject.</summary>
    private async Task<List<QuarantineItem>> HoldStudyAsync(int files)
    {
        var (patient, study) = (NewPatientId(), NewStudyUid());
        var held = await HeldObjects.UploadAsync(app, [.. Enumerable.Range(1, files).Select(i => DicomSamples.CtImage(patientId: patient, study: study, instance: i))]);
        Assert.All(held, h => Assert.Equal(QuarantineReason.UnknownSubject, h.Reason));
        return held;
    }

    private async Task AssertStillHeldAsync(QuarantineItem item)
    {
        var stored = await app.QueryAsync(db => db.QuarantineItems.SingleAsync(q => q.Id == item.Id));
        Assert.Equal(QuarantineStatus.Open, stored.Status);
        Assert.True(app.Services.GetRequiredService<IntakeStores>().Quarantine.Exists(item.BlobName));
        Assert.False(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.EntityType == "QuarantineItem" && e.EntityId == item.Id.ToString() && e.Action == "Update")));
    }

    private sealed record BatchDto(int Decided, int Failed, List<OutcomeDto> Items);

    private sealed record OutcomeDto(Guid ItemId, bool Decided, string? Problem);
}
