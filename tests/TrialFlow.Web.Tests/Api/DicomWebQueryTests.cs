using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Testing;
using TrialFlow.Web.Tests.Support;

namespace TrialFlow.Web.Tests.Api;

/// <summary>QIDO-RS and WADO-RS serve the de-identified archive, within the caller's sites.</summary>
[Collection(AppCollection.Name)]
public sealed class DicomWebQueryTests(TrialFlowApp app)
{
    [Fact]
    public async Task An_archived_study_is_found_by_qido_and_retrieved_de_identified_by_wado()
    {
        var (study, series, instance) = await ArchiveOneAsync();
        using var monitor = await app.ClientAsync("t-datamanager");

        using var studies = JsonDocument.Parse(await monitor.GetStringAsync($"/dicomweb/studies?StudyInstanceUID={study}"));
        var found = Assert.Single(studies.RootElement.EnumerateArray());
        Assert.Equal("101-001", found.GetProperty("00100020").GetProperty("Value")[0].GetString());
        using var instances = JsonDocument.Parse(await monitor.GetStringAsync($"/dicomweb/studies/{study}/series/{series}/instances"));
        Assert.Equal(instance, Assert.Single(instances.RootElement.EnumerateArray()).GetProperty("00080018").GetProperty("Value")[0].GetString());

        using var response = await monitor.GetAsync($"/dicomweb/studies/{study}/series/{series}/instances/{instance}");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("multipart/related", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(-1, body.AsSpan().IndexOf("DICM"u8));
        Assert.Equal(-1, body.AsSpan().IndexOf(Encoding.ASCII.GetBytes("Canary")));
    }

    [Fact]
    public async Task Another_sites_user_neither_finds_nor_retrieves_the_study()
    {
        var (study, series, instance) = await ArchiveOneAsync();
        using var paris = await app.ClientAsync("t-siteuser-paris");

        var search = await paris.GetStringAsync($"/dicomweb/studies?StudyInstanceUID={study}");
        var retrieve = await paris.GetAsync($"/dicomweb/studies/{study}/series/{series}/instances/{instance}");

        Assert.Equal("[]", search);
        Assert.Equal(HttpStatusCode.NotFound, retrieve.StatusCode);
    }

    private async Task<(string Study, string Series, string Instance)> ArchiveOneAsync()
    {
        var before = (await app.QueryAsync(db => db.Instances.Select(i => i.Id).ToListAsync())).ToHashSet();
        using var client = await app.ClientAsync("t-siteuser");
        using var body = new MultipartContent("related", "B-" + Guid.NewGuid().ToString("N"));
        body.Add(new ByteArrayContent(DicomSamples.CtImage(study: $"1.2.826.0.1.3680043.3.{Random.Shared.Next(1, int.MaxValue)}"))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") },
        });
        (await client.PostAsync("/dicomweb/studies", body)).EnsureSuccessStatusCode();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            // Source UIDs are replaced by intake: ours is the instance that was not there before the request.
            var added = await app.QueryAsync(db => db.Instances.AsNoTracking().Include(i => i.Series).ThenInclude(s => s!.Study).ToListAsync());
            if (added.FirstOrDefault(i => !before.Contains(i.Id)) is { } mine)
                return (mine.Series!.Study!.StudyInstanceUid, mine.Series.SeriesInstanceUid, mine.SopInstanceUid);
            await Task.Delay(100);
        }

        throw new TimeoutException("intake did not archive the object within 30 s");
    }
}
