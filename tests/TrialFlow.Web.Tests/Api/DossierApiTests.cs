using TrialFlow.Reports.Dossier;

namespace TrialFlow.Web.Tests.Api;

/// <summary>Who may download dossiers, and that each download leaves its trace.</summary>
[Collection(AppCollection.Name)]
public sealed class DossierApiTests(TrialFlowApp app)
{
    private static readonly string[] Downloaders = [TrialFlowRoles.Inspector, TrialFlowRoles.Monitor, TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator];

    private Task<Guid> SubjectAtAsync(string siteNumber) =>
        app.QueryAsync(db => db.Subjects.Where(s => s.SiteId == app.Sites[siteNumber]).OrderBy(s => s.SubjectKey).Select(s => s.Id).FirstAsync());

    [Fact]
    public async Task Only_inspectors_monitors_study_managers_and_administrators_can_download_a_dossier_the_others_get_403()
    {
        var subject = await SubjectAtAsync("101");
        foreach (var role in TrialFlowRoles.All)
        {
            using var client = await app.ClientAsync($"t-{role.ToLowerInvariant()}");
            using var response = await client.GetAsync($"/api/subjects/{subject}/dossier");
            var expected = Downloaders.Contains(role) ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            Assert.True(response.StatusCode == expected, $"{role} got {(int)response.StatusCode}, expected {(int)expected}");
            if (expected == HttpStatusCode.OK)
            {
                Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
                Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(await response.Content.ReadAsByteArrayAsync(), 0, 5));
            }
        }
    }

    [Fact]
    public async Task A_monitor_downloads_dossiers_of_their_own_sites_only()
    {
        using var monitor = await app.ClientAsync("t-monitor"); // member of site 101
        using var own = await monitor.GetAsync($"/api/sites/{app.Sites["101"]}/dossiers");
        using var other = await monitor.GetAsync($"/api/subjects/{await SubjectAtAsync("201")}/dossier");
        using var otherSite = await monitor.GetAsync($"/api/sites/{app.Sites["201"]}/dossiers");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherSite.StatusCode);
    }

    [Fact]
    public async Task Every_download_is_audited_with_who_took_which_file_and_its_SHA_256()
    {
        var subject = await SubjectAtAsync("101");
        using var inspector = await app.ClientAsync("t-inspector");
        var before = await app.QueryAsync(db => db.AuditEvents.MaxAsync(e => e.Sequence));
        using var pdf = await inspector.GetAsync($"/api/subjects/{subject}/dossier");
        using var zip = await inspector.GetAsync($"/api/sites/{app.Sites["101"]}/dossiers");
        var pdfHash = pdf.Headers.GetValues("X-Dossier-SHA256").Single();
        var zipHash = zip.Headers.GetValues("X-Dossier-SHA256").Single();

        Assert.Equal(pdfHash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await pdf.Content.ReadAsByteArrayAsync())));
        Assert.Equal(zipHash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await zip.Content.ReadAsByteArrayAsync())));
        var events = await app.QueryAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.Sequence > before && (e.Action == DossierService.DownloadAction || e.Action == DossierService.SiteDownloadAction)).ToListAsync());
        // The zip holds the same subject's dossier for the same second: same bytes, so its event carries the same hash too.
        var single = Assert.Single(events, e => e.Action == DossierService.DownloadAction && e.NewValues!.Contains(pdfHash) && e.NewValues.Contains("\"via\":\"subject\""));
        Assert.Equal(subject.ToString(), single.EntityId);
        Assert.Equal("Inspector", single.ActorRole);
        var site = Assert.Single(events, e => e.Action == DossierService.SiteDownloadAction && e.NewValues!.Contains(zipHash));
        Assert.Equal("Inspector", site.ActorRole);
    }

    [Fact]
    public async Task The_same_cut_off_gives_the_same_file_and_a_future_cut_off_is_refused()
    {
        var subject = await SubjectAtAsync("101");
        using var inspector = await app.ClientAsync("t-inspector");
        using var first = await inspector.GetAsync($"/api/subjects/{subject}/dossier");
        var cutOff = first.Headers.GetValues("X-Dossier-CutOff").Single();
        using var again = await inspector.GetAsync($"/api/subjects/{subject}/dossier?cutoff={cutOff}");
        using var future = await inspector.GetAsync($"/api/subjects/{subject}/dossier?cutoff=20991231T000000Z");

        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("in the future", await future.Content.ReadAsStringAsync());
    }
}
