using System.Security.Cryptography;
using TrialFlow.Reports.Adherence;

namespace TrialFlow.Web.Tests.Api;

/// <summary>
/// The protocol adherence report through the host: the study team and inspectors read it over every site, a site's
/// own users over theirs; blinded readers not at all; downloads leave a trace in the audit trail.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AdherenceApiTests(TrialFlowApp app)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task The_study_team_sees_every_site_with_its_qualified_scanners_and_a_site_user_only_their_own()
    {
        using var manager = await app.ClientAsync("t-studymanager");
        using var siteUser = await app.ClientAsync("t-siteuser");

        var all = (await manager.GetFromJsonAsync<ProtocolAdherenceReport>($"/api/trials/{app.TrialId}/adherence", Json))!;
        var mine = (await siteUser.GetFromJsonAsync<ProtocolAdherenceReport>($"/api/trials/{app.TrialId}/adherence", Json))!;

        Assert.Contains(all.Sites, s => s.SiteNumber == "701" && s.Status == SiteStatus.Qualifying);
        Assert.Equal(["GE MEDICAL SYSTEMS RHAPSODE (CT)", "GE MEDICAL SYSTEMS Revolution CT (CT)", "SIEMENS SOMATOM Force (CT)"],
            all.Sites.Single(s => s.SiteNumber == "101").QualifiedScanners);
        Assert.Equal(["101"], mine.Sites.Select(s => s.SiteNumber));
    }

    [Fact]
    public async Task An_inspector_downloads_the_CSV_and_PDF_and_each_download_is_audited_with_its_hash()
    {
        using var inspector = await app.ClientAsync("t-inspector");

        using var csv = await inspector.GetAsync($"/api/trials/{app.TrialId}/adherence.csv");
        using var pdf = await inspector.GetAsync($"/api/trials/{app.TrialId}/adherence.pdf");

        Assert.Equal((HttpStatusCode.OK, "text/csv"), (csv.StatusCode, csv.Content.Headers.ContentType?.MediaType));
        Assert.StartsWith("site,name,country,status,", await csv.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.OK, "application/pdf"), (pdf.StatusCode, pdf.Content.Headers.ContentType?.MediaType));
        var pdfBytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdfBytes, 0, 5));
        var hash = Convert.ToHexStringLower(SHA256.HashData(pdfBytes));
        Assert.True(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "AdherenceReportDownloaded" && e.NewValues!.Contains(hash))));
    }

    [Theory]
    [InlineData("t-reader")]
    [InlineData("t-adjudicator")]
    public async Task Blinded_readers_are_refused(string user)
    {
        using var client = await app.ClientAsync(user);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/trials/{app.TrialId}/adherence.csv")).StatusCode);
    }
}
