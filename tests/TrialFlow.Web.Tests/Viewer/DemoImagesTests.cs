using System.Buffers.Binary;

namespace TrialFlow.Web.Tests.Viewer;

/// <summary>The demo's studies in review carry phantom images with tumours a reader can find and measure.</summary>
[Collection(AppCollection.Name)]
public sealed class DemoImagesTests(TrialFlowApp app)
{
    [Fact]
    public async Task Every_demo_study_in_review_has_a_48_slice_venous_series_with_the_liver_tumour_where_the_phantom_puts_it()
    {
        var studies = await app.QueryAsync(db => db.Studies.AsNoTracking().Include(s => s.Series)
            .Where(s => s.Status == StudyStatus.InReview && s.Description!.StartsWith("Demo CT")).ToListAsync());
        Assert.NotEmpty(studies);
        Assert.All(studies, s => Assert.Equal(49, s.NumberOfInstances)); // a scout and 48 venous slices
        var study = studies.OrderBy(s => s.StudyDay).First();
        var venous = study.Series.Single(s => s.Description == "Venous phase 5 mm");
        using var client = await app.ClientAsync("t-datamanager");

        // Slice 33 lies at z = −160 mm, through the centre of the liver tumour at (−60, 20) mm: column 88, row 141.
        var pixels = await FrameAsync(client, $"/dicomweb/studies/{study.StudyInstanceUid}/series/{venous.SeriesInstanceUid}/instances/{venous.SeriesInstanceUid}.33/frames/1");
        var tumour = Hu(pixels, row: 141, column: 88);
        var liver = Hu(pixels, row: 141, column: 88 + 25); // 37 mm to the side: outside a 30 mm tumour, inside the liver

        Assert.InRange(tumour, 0, 20); // hypodense tumour, 10 HU ± noise
        Assert.InRange(liver, 50, 70); // enhancing liver, 60 HU ± noise
    }

    private static async Task<byte[]> FrameAsync(HttpClient client, string uri)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("multipart/related; type=\"application/octet-stream\"");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync();
        return body.AsSpan(body.AsSpan().IndexOf("\r\n\r\n"u8) + 4, 256 * 256 * 2).ToArray();
    }

    private static int Hu(byte[] frame, int row, int column) =>
        BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan((row * 256 + column) * 2)) - 1024;
}
