using TrialFlow.Dicom.IO.Writing;

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
    public async Task Qido_matches_attributes_given_by_tag_or_keyword_with_wildcards_pages_with_limit_and_offset_and_refuses_what_it_cannot_match()
    {
        var (study, series, _) = await ArchiveOneAsync();
        using var client = await app.ClientAsync("t-datamanager");
        async Task<string[]> StudiesAsync(string query)
        {
            using var found = JsonDocument.Parse(await client.GetStringAsync($"/dicomweb/studies?{query}"));
            return [.. found.RootElement.EnumerateArray().Select(e => e.GetProperty("0020000D").GetProperty("Value")[0].GetString()!)];
        }

        // Orthanc's DICOMweb client sends tags; other clients keywords; both mean the same (PS3.18 8.3.4).
        Assert.Equal([study], await StudiesAsync($"00100020=101-001&0020000D={study}"));
        Assert.Equal([study], await StudiesAsync($"PatientID=101-00*&StudyInstanceUID={study}&includefield=all&fuzzymatching=false"));
        Assert.Empty(await StudiesAsync($"00100020=101-002&0020000D={study}"));
        using var series1 = JsonDocument.Parse(await client.GetStringAsync($"/dicomweb/studies/{study}/series?0020000E={series}"));
        Assert.Single(series1.RootElement.EnumerateArray());
        Assert.Equal("[]", await client.GetStringAsync($"/dicomweb/studies/{study}/series?Modality=MR"));

        using var first = await client.GetAsync("/dicomweb/studies?limit=1");
        using var second = await client.GetAsync("/dicomweb/studies?limit=1&offset=1");
        Assert.Contains("more results", first.Headers.Warning.ToString());
        var (one, two) = (JsonDocument.Parse(await first.Content.ReadAsStringAsync()), JsonDocument.Parse(await second.Content.ReadAsStringAsync()));
        Assert.NotEqual(one.RootElement[0].GetProperty("0020000D").GetProperty("Value")[0].GetString(), two.RootElement[0].GetProperty("0020000D").GetProperty("Value")[0].GetString());

        // An attribute TrialFlow does not index is refused, not ignored (ignored, every study "matched").
        using var refused = await client.GetAsync("/dicomweb/studies?00100010=Doe^John");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Contains("cannot search studies by", problem);
        Assert.Contains("00100010", problem);
        Assert.Contains("PatientID (00100020)", problem);
        using var badLimit = await client.GetAsync("/dicomweb/studies?limit=-3");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
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

    [Fact]
    public async Task Series_metadata_references_the_frames_a_viewer_then_retrieves()
    {
        var (study, series, instance) = await ArchiveOneAsync();
        using var client = await app.ClientAsync("t-datamanager");

        using var metadata = JsonDocument.Parse(await client.GetStringAsync($"/dicomweb/studies/{study}/series/{series}/metadata"));
        var dataset = Assert.Single(metadata.RootElement.EnumerateArray());
        Assert.Equal("101-001", dataset.GetProperty("00100020").GetProperty("Value")[0].GetString());
        var pixelData = dataset.GetProperty("7FE00010");
        Assert.False(pixelData.TryGetProperty("InlineBinary", out _));
        var frameUri = pixelData.GetProperty("BulkDataURI").GetString()!;
        Assert.EndsWith($"/studies/{study}/series/{series}/instances/{instance}/frames/1", frameUri);

        using var frame = await client.GetAsync(new Uri(frameUri).PathAndQuery);
        var body = await frame.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, frame.StatusCode);
        Assert.Equal("multipart/related", frame.Content.Headers.ContentType?.MediaType);
        Assert.Contains(frame.Content.Headers.ContentType!.Parameters, p => p.Name == "type" && p.Value == "\"application/octet-stream\"");
        // The default sample is 8 × 8 pixels of 16 bits, filled with 100: the part carries exactly those 128 bytes.
        var start = body.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        Assert.Equal(Enumerable.Range(0, 64).SelectMany(_ => new byte[] { 100, 0 }).ToArray(), body.AsSpan(start, 128).ToArray());
        Assert.Equal("\r\n--"u8.ToArray(), body.AsSpan(start + 128, 4).ToArray());
    }

    [Fact]
    public async Task A_frame_that_does_not_exist_is_a_clear_error()
    {
        var (study, series, instance) = await ArchiveOneAsync();
        using var client = await app.ClientAsync("t-datamanager");

        using var beyond = await client.GetAsync($"/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/2");
        using var nonsense = await client.GetAsync($"/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/first");

        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
        Assert.Contains("frame 2 does not exist: the instance has 1", await beyond.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, nonsense.StatusCode);
    }

    [Fact]
    public async Task A_series_is_retrieved_whole_and_another_sites_user_cannot_retrieve_it()
    {
        var (study, series, _) = await ArchiveOneAsync();
        using var monitor = await app.ClientAsync("t-datamanager");
        using var paris = await app.ClientAsync("t-siteuser-paris");

        using var retrieved = await monitor.GetAsync($"/dicomweb/studies/{study}/series/{series}");
        using var refused = await paris.GetAsync($"/dicomweb/studies/{study}/series/{series}/metadata");

        Assert.Equal(HttpStatusCode.OK, retrieved.StatusCode);
        Assert.NotEqual(-1, (await retrieved.Content.ReadAsByteArrayAsync()).AsSpan().IndexOf("DICM"u8));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Trait("Category", "Peer")]
    [Fact]
    public async Task Rle_frames_are_decoded_when_asked_for_octet_stream_sent_as_stored_when_asked_for_rle_and_refused_as_jpeg()
    {
        // 16 × 16 pixels of 16 bits, each a different value, compressed to RLE Lossless by dcmtk (the peer encoder).
        var pixels = Enumerable.Range(0, 256).SelectMany(i => BitConverter.GetBytes((ushort)(i * 37 % 4096))).ToArray();
        var (study, series, instance) = await ArchiveOneAsync(RleImage(pixels));
        using var client = await app.ClientAsync("t-datamanager");
        var frameUri = $"/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/1";

        using var uncompressed = await GetAsync(client, frameUri, "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        using var asStored = await GetAsync(client, frameUri, "multipart/related; type=\"image/dicom-rle\"");
        using var jpeg = await GetAsync(client, frameUri, "multipart/related; type=\"image/jpeg\"");

        Assert.Equal(HttpStatusCode.OK, uncompressed.StatusCode);
        Assert.Contains("type=\"application/octet-stream\"", uncompressed.Content.Headers.ContentType!.ToString());
        Assert.Equal(pixels, FirstPart(await uncompressed.Content.ReadAsByteArrayAsync(), pixels.Length));
        Assert.Equal(HttpStatusCode.OK, asStored.StatusCode);
        Assert.Contains("type=\"image/dicom-rle\"", asStored.Content.Headers.ContentType!.ToString());
        Assert.Equal(new byte[] { 2, 0, 0, 0 }, FirstPart(await asStored.Content.ReadAsByteArrayAsync(), 4)); // two segments: high then low bytes
        Assert.Equal(HttpStatusCode.NotAcceptable, jpeg.StatusCode);
        Assert.Contains("RLE Lossless (1.2.840.10008.1.2.5)", await jpeg.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string uri, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await client.SendAsync(request);
    }

    private static byte[] FirstPart(byte[] body, int length) =>
        body.AsSpan(body.AsSpan().IndexOf("\r\n\r\n"u8) + 4, length).ToArray();

    /// <summary>A CT image with the given 16 × 16 pixels, RLE Lossless compressed by dcmtk's dcmcrle.</summary>
    private static byte[] RleImage(byte[] pixels)
    {
        var dataset = DicomFileReader.Read(new MemoryStream(DicomSamples.CtImage(study: $"1.2.826.0.1.3680043.3.{Random.Shared.Next(1, int.MaxValue)}", size: 16))).Dataset;
        dataset.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW, pixels));
        var directory = Directory.CreateTempSubdirectory("tf-rle-");
        try
        {
            var (native, rle) = (Path.Combine(directory.FullName, "native.dcm"), Path.Combine(directory.FullName, "rle.dcm"));
            using (var file = File.Create(native))
                DicomFileWriter.Write(dataset, file);
            using var process = Process.Start(new ProcessStartInfo("dcmcrle", [native, rle]) { RedirectStandardError = true })!;
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
            return File.ReadAllBytes(rle);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task<(string Study, string Series, string Instance)> ArchiveOneAsync(byte[]? image = null)
    {
        var before = (await app.QueryAsync(db => db.Instances.Select(i => i.Id).ToListAsync())).ToHashSet();
        using var client = await app.ClientAsync("t-siteuser");
        using var body = new MultipartContent("related", "B-" + Guid.NewGuid().ToString("N"));
        body.Add(new ByteArrayContent(image ?? DicomSamples.CtImage(study: $"1.2.826.0.1.3680043.3.{Random.Shared.Next(1, int.MaxValue)}"))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") },
        });
        (await client.PostAsync("/dicomweb/studies", body)).EnsureSuccessStatusCode();
        // Bounded by the Web tests' one wait bound (Browsers.Timeout): intake is slow on a busy machine, never wrong.
        var deadline = DateTime.UtcNow + Browsers.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            // Source UIDs are replaced by intake: ours is the instance that was not there before the request.
            var added = await app.QueryAsync(db => db.Instances.AsNoTracking().Include(i => i.Series).ThenInclude(s => s!.Study).ToListAsync());
            if (added.FirstOrDefault(i => !before.Contains(i.Id)) is { } mine)
                return (mine.Series!.Study!.StudyInstanceUid, mine.Series.SeriesInstanceUid, mine.SopInstanceUid);
            await Task.Delay(100);
        }

        throw new TimeoutException($"intake did not archive the object within {Browsers.Timeout.TotalSeconds:0} s ({Browsers.TimeoutVariable})");
    }
}
