namespace TrialFlow.Web.Tests.Api;

/// <summary>A data manager decides on held objects; every decision is audited and nothing is lost silently.</summary>
[Collection(AppCollection.Name)]
public sealed class QuarantineTests(TrialFlowApp app)
{
    [Fact]
    public async Task Releasing_an_unknown_patient_with_a_subject_archives_it_under_that_subject()
    {
        var item = await HoldAsync("MRN-UNLINKED-771");
        using var dataManager = await app.ClientAsync("t-datamanager");
        var subject = await app.QueryAsync(db => db.Subjects.Where(s => s.SubjectKey == "101-003").Select(s => s.Id).SingleAsync());

        var response = await dataManager.PostAsJsonAsync($"/api/quarantine/{item.Id}/release", new { subjectId = subject, resolution = "Site confirmed MRN belongs to 101-003 (query Q-12)" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var archived = (await app.WaitForReceiptsAsync(r => r.Channel == IntakeChannel.StowRs && r.Outcome == IntakeOutcome.Archived && r.ReceivedAt > item.ReceivedAt))[0];
        var study = await app.QueryAsync(db => db.Studies.SingleAsync(s => s.Id == archived.StudyId));
        Assert.Equal(subject, study.SubjectId);
        var decision = await app.QueryAsync(db => db.AuditEvents.Where(e => e.EntityType == "QuarantineItem" && e.EntityId == item.Id.ToString() && e.Action == "Update").SingleAsync());
        Assert.Equal(("Test DataManager", "Site confirmed MRN belongs to 101-003 (query Q-12)"), (decision.ActorName, decision.Reason));
        Assert.False(app.Services.GetRequiredService<IntakeStores>().Quarantine.Exists(item.BlobName));
    }

    [Fact]
    public async Task Rejecting_deletes_the_identified_bytes_and_records_why()
    {
        var item = await HoldAsync("MRN-WRONG-PATIENT-9");
        using var dataManager = await app.ClientAsync("t-datamanager");

        var response = await dataManager.PostAsJsonAsync($"/api/quarantine/{item.Id}/reject", new { reason = "Not a trial patient: sent by mistake, site informed" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await app.QueryAsync(db => db.QuarantineItems.SingleAsync(q => q.Id == item.Id));
        Assert.Equal(QuarantineStatus.Rejected, stored.Status);
        Assert.False(app.Services.GetRequiredService<IntakeStores>().Quarantine.Exists(item.BlobName));
        Assert.True(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.EntityId == item.Id.ToString() && e.Reason == "Not a trial patient: sent by mistake, site informed")));
    }

    [Fact]
    public async Task Only_data_managers_decide_and_site_users_see_only_their_sites_items()
    {
        var item = await HoldAsync("MRN-SCOPE-3");
        using var siteUser = await app.ClientAsync("t-siteuser");
        using var parisUser = await app.ClientAsync("t-siteuser-paris");

        var release = await siteUser.PostAsJsonAsync($"/api/quarantine/{item.Id}/release", new { subjectId = Guid.NewGuid(), resolution = "x" });
        var mine = await siteUser.GetFromJsonAsync<List<ItemDto>>("/api/quarantine");
        var theirs = await parisUser.GetFromJsonAsync<List<ItemDto>>("/api/quarantine");

        Assert.Equal(HttpStatusCode.Forbidden, release.StatusCode);
        Assert.Contains(mine!, i => i.Id == item.Id);
        Assert.DoesNotContain(theirs!, i => i.Id == item.Id);
    }

    /// <summary>Sends an image with an unregistered Patient ID via STOW-RS and waits for intake to hold it.</summary>
    private async Task<QuarantineItem> HoldAsync(string patientId)
    {
        using var client = await app.ClientAsync("t-siteuser");
        using var body = new MultipartContent("related", "B-" + Guid.NewGuid().ToString("N"));
        body.Add(new ByteArrayContent(DicomSamples.CtImage(patientId: patientId, study: $"1.2.826.0.1.3680043.5.{Random.Shared.Next(1, int.MaxValue)}"))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") },
        });
        (await client.PostAsync("/dicomweb/studies", body)).EnsureSuccessStatusCode();
        var receipt = (await app.WaitForReceiptsAsync(r => r.Outcome == IntakeOutcome.Quarantined && r.QuarantineItemId != null && r.Reason!.Contains("UnknownSubject")
            && !Seen.Contains(r.QuarantineItemId.Value)))[0];
        Seen.Add(receipt.QuarantineItemId!.Value);
        return await app.QueryAsync(db => db.QuarantineItems.SingleAsync(q => q.Id == receipt.QuarantineItemId));
    }

    private static readonly HashSet<Guid> Seen = [];

    private sealed record ItemDto(Guid Id, string Reason);
}
