using TrialFlow.Activation.Service;
using TrialFlow.Web.Activation;

namespace TrialFlow.Web.Tests.Activation;

/// <summary>
/// Qualification scans through the host: pushed to the qualification AE title, or uploaded as one by the site's
/// coordinator before the site is Active; archived apart from subject data; a passing one qualifies the scanner and ticks
/// the checklist. A site user sees only their own site's scanners.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ScannerQualificationApiTests(TrialFlowApp app) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly string _folder = Directory.CreateTempSubdirectory("trialflow-qualification-").FullName;

    [Fact]
    [Trait("Category", "Peer")]
    public async Task A_scan_pushed_to_the_qualification_AE_title_by_a_planned_site_is_archived_as_a_qualification_scan_not_as_subject_data()
    {
        var since = DateTime.UtcNow;
        var (siteId, aeTitle) = await OnboardAsync();
        var study = new CtStudy($"1.2.826.0.1.3680043.11.{Random.Shared.Next(1, int.MaxValue)}", PatientId: "PHANTOM-ACR");
        var i = 0;
        foreach (var file in study.Files())
            await File.WriteAllBytesAsync(Path.Combine(_folder, $"q{++i}.dcm"), file);

        var (exit, output) = await Dcmtk.RunAsync("storescu", "-aet", aeTitle, "-aec", "TRIALFLOW_QUAL", "127.0.0.1", app.DicomPort.ToString(), _folder, "+sd");

        Assert.True(exit == 0, output);
        var receipts = await app.WaitForReceiptsAsync(r => r.SiteId == siteId && r.ReceivedAt >= since, count: 4);
        Assert.All(receipts, r => Assert.Equal((IntakeOutcome.Archived, "qualification scan of CT SIEMENS SOMATOM Force"), (r.Outcome, r.Reason)));
        var scan = await app.QueryAsync(db => db.QualificationScans.SingleAsync(q => q.SiteId == siteId));
        Assert.Equal((4, QualificationScanStatus.Receiving), (scan.NumberOfImages, scan.Status));
        Assert.Equal(0, await app.QueryAsync(db => db.Studies.CountAsync(s => s.SiteId == siteId)));
    }

    [Fact]
    public async Task A_qualification_scan_uploaded_by_the_sites_coordinator_qualifies_the_scanner_and_ticks_the_checklist()
    {
        var (siteId, _) = await OnboardAsync();
        var coordinator = $"t-qual-{Random.Shared.Next(10_000, 99_999)}";
        await app.AddSiteUserAsync(coordinator, siteId);
        using var siteUser = await app.ClientAsync(coordinator);
        var uploads = new UploadClient(siteUser);

        var session = await uploads.OpenAsync(siteId, "Qualification");
        var n = 0;
        foreach (var file in new CtStudy($"1.2.826.0.1.3680043.12.{Random.Shared.Next(1, int.MaxValue)}", PatientId: "PHANTOM-ACR").Files())
        {
            (await uploads.PutChunkAsync(session, $"q-{++n}", file, 0, file.Length)).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.Accepted, (await uploads.CompleteAsync(session, $"q-{n}", file.Length)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await uploads.SubmitWhenSettledAsync(session)).StatusCode);

        var scanners = await Eventually.UntilAsync(
            async () => (await siteUser.GetFromJsonAsync<SiteScanners>($"/api/sites/{siteId}/scanners", Json))!,
            s => s.Scans.Any(q => q.Status != QualificationScanStatus.Complete && q.Status != QualificationScanStatus.Receiving),
            "the qualification scan to be evaluated");
        var scan = Assert.Single(scanners.Scans);
        Assert.Equal(QualificationScanStatus.Passed, scan.Status);
        var qualified = Assert.Single(scanners.Qualified);
        Assert.Equal(("CT", "SIEMENS SOMATOM Force", "tf-onc-301-imaging-v2"), (qualified.Modality, qualified.Scanner, qualified.Protocol));
        using var manager = await app.ClientAsync("t-studymanager");
        var checklist = (await manager.GetFromJsonAsync<SiteChecklist>($"/api/sites/{siteId}/activation", Json))!;
        Assert.True(checklist.Items.Single(i => i.Definition.Key == "scanner-qualification").Done);

        // Another site's coordinator sees nothing of it.
        using var paris = await app.ClientAsync("t-siteuser-paris");
        Assert.Equal(HttpStatusCode.NotFound, (await paris.GetAsync($"/api/sites/{siteId}/scanners")).StatusCode);
    }

    [Fact]
    public async Task A_qualification_upload_names_no_subject()
    {
        using var siteUser = await app.ClientAsync("t-siteuser");

        using var response = await siteUser.PostAsJsonAsync("/api/uploads",
            new { siteId = app.Sites["101"], subjectId = await app.QueryAsync(db => db.Subjects.Where(s => s.SubjectKey == "101-001").Select(s => s.Id).SingleAsync()), purpose = "Qualification" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A qualification scan is for no subject or visit", await response.Content.ReadAsStringAsync());
    }

    private async Task<(Guid SiteId, string AeTitle)> OnboardAsync()
    {
        var n = Random.Shared.Next(10_000, 99_999);
        using var manager = await app.ClientAsync("t-studymanager");
        var created = await manager.PostAsJsonAsync($"/api/trials/{app.TrialId}/sites",
            new NewSite($"9{n}", "Ośrodek Kwalifikacji Łódź", "PL", "Europe/Warsaw", [$"LODZ_{n}"], ["127.0.0.0/8"]), Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await created.Content.ReadFromJsonAsync<SiteChecklist>(Json))!.SiteId, $"LODZ_{n}");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
