using TrialFlow.Activation.Service;
using TrialFlow.Web.Activation;

namespace TrialFlow.Web.Tests.Activation;

/// <summary>A checklist item recorded with a file as evidence through the API, and the file downloaded back by whoever reads the site.</summary>
[Collection(AppCollection.Name)]
public sealed class EvidenceFileApiTests(TrialFlowApp app)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task A_study_manager_attaches_a_file_and_readers_of_the_site_download_exactly_it_while_another_sites_user_cannot()
    {
        var n = Random.Shared.Next(10_000, 99_999);
        using var manager = await app.ClientAsync("t-studymanager");
        var site = (await (await manager.PostAsJsonAsync($"/api/trials/{app.TrialId}/sites",
            new NewSite($"5{n}", "Hôpital de la Preuve", "FR", "Europe/Paris", [$"PREUVE_{n}"], []), Json)).Content.ReadFromJsonAsync<SiteChecklist>(Json))!;
        var bytes = Encoding.ASCII.GetBytes($"%PDF-1.7 data-sharing agreement {n}");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } }, "file", "DSA signed.pdf" },
            { new StringContent("DSA FR-5 signed 2026-06-03"), "evidence" },
        };

        using var recorded = await manager.PostAsync($"/api/sites/{site.SiteId}/activation/items/data-sharing-agreement/file", form);

        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var entry = (await recorded.Content.ReadFromJsonAsync<SiteChecklist>(Json))!.Items.Single(i => i.Definition.Key == "data-sharing-agreement").Entries.Single();
        Assert.Equal(("DSA signed.pdf", "DSA FR-5 signed 2026-06-03"), (entry.File!.FileName, entry.Evidence));
        using var inspector = await app.ClientAsync("t-inspector");
        using var download = await inspector.GetAsync($"/api/sites/{site.SiteId}/activation/evidence/{entry.File.Sha256}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(("application/pdf", "attachment"), (download.Content.Headers.ContentType?.MediaType, download.Content.Headers.ContentDisposition?.DispositionType));
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        using var otherSite = await app.ClientAsync("t-siteuser-paris");
        Assert.Equal(HttpStatusCode.NotFound, (await otherSite.GetAsync($"/api/sites/{site.SiteId}/activation/evidence/{entry.File.Sha256}")).StatusCode);
    }
}
