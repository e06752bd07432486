namespace TrialFlow.Web.Tests.Api;

/// <summary>
/// What intake cannot read is refused before it is acknowledged, so the sender knows to send it again: C-STORE answers a
/// PS3.4 Annex B failure with an Error Comment, STOW-RS lists the part as failed (never as referenced), and a broken
/// multipart body is a 400 that says what is wrong, never a 500.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RefusedAtTheDoorTests(TrialFlowApp app) : IDisposable
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private readonly string _folder = Directory.CreateTempSubdirectory("trialflow-door-").FullName;

    [Fact]
    public async Task A_truncated_data_set_pushed_by_C_STORE_is_refused_with_cannot_understand_and_an_error_comment()
    {
        var since = DateTime.UtcNow;
        var image = DicomSamples.CtImage(study: Study());
        var truncated = Path.Combine(_folder, "truncated.dcm");
        await File.WriteAllBytesAsync(truncated, image[..^40]);
        var good = Path.Combine(_folder, "good.dcm");
        await File.WriteAllBytesAsync(good, DicomSamples.CtImage(study: Study()));

        var (refused, accepted) = await PushAsync(truncated, good);

        Assert.Equal(DicomStatus.CannotUnderstand, refused.Status);
        Assert.Contains("not a readable DICOM object", refused.ErrorComment);
        Assert.True(accepted.IsSuccess, $"{accepted.Status} {accepted.ErrorComment}");
        var refusal = (await app.WaitForReceiptsAsync(r => r.Outcome == IntakeOutcome.Rejected && r.Sender!.StartsWith("NORDSTADT_CT@") && r.Reason!.Contains("0xC000") && r.ReceivedAt >= since))[0];
        Assert.Equal(app.Sites["101"], refusal.SiteId);
    }

    [Fact]
    public async Task A_data_set_that_is_not_the_SOP_class_of_its_C_STORE_is_refused_with_A900()
    {
        // The command says MR Image Storage; the data set is a CT image.
        var image = DicomSamples.CtImage(study: Study());
        var metaEnd = 132 + 12 + (int)BitConverter.ToUInt32(image, 132 + 8);
        var mr = DicomPart10.CreateFileMetaInformation("1.2.840.10008.5.1.4.1.1.4", $"{Study()}.9", "1.2.840.10008.1.2.1");
        var mismatched = Path.Combine(_folder, "mismatched.dcm");
        await File.WriteAllBytesAsync(mismatched, [.. mr, .. image.AsSpan(metaEnd)]);

        var (refused, _) = await PushAsync(mismatched, null, "1.2.840.10008.5.1.4.1.1.4");

        Assert.Equal(DicomStatus.DataSetDoesNotMatchSopClass, refused.Status);
        Assert.Contains("does not match", refused.ErrorComment);
    }

    [Fact]
    public async Task Stow_rs_lists_a_truncated_part_as_failed_not_as_stored()
    {
        using var client = await app.ClientAsync("t-siteuser");
        var image = DicomSamples.CtImage(study: Study());
        using var body = Multipart("TF-DOOR", image[..^40]);

        using var response = await client.PostAsync("/dicomweb/studies", body);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.TryGetProperty("00081199", out _));
        var failed = json.RootElement.GetProperty("00081198").GetProperty("Value")[0];
        Assert.Equal(0xC000, failed.GetProperty("00081197").GetProperty("Value")[0].GetInt32());
        Assert.Contains("not a readable DICOM object", string.Join(" ", response.Headers.GetValues("Warning")));
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "wrong boundary", "--SOMETHING-ELSE\r\nContent-Type: application/dicom\r\n\r\nxx\r\n--SOMETHING-ELSE--\r\n" },
        { "empty body", "" },
        { "cut short", "--TF-DOOR\r\nContent-Type: application/dicom\r\n\r\nDICM and then noth" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_multipart_body_is_a_400_that_names_the_problem(string what, string raw)
    {
        using var client = await app.ClientAsync("t-siteuser");
        using var body = new ByteArrayContent(Encoding.ASCII.GetBytes(raw));
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/related; type=\"application/dicom\"; boundary=TF-DOOR");

        using var response = await client.PostAsync("/dicomweb/studies", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("multipart", problem.RootElement.GetProperty("detail").GetString());
    }

    private static string Study() => $"1.2.826.0.1.3680043.10.{Random.Shared.Next(1, int.MaxValue)}";

    private static MultipartContent Multipart(string boundary, params byte[][] parts)
    {
        var body = new MultipartContent("related", boundary);
        body.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (var part in parts)
            body.Add(new ByteArrayContent(part) { Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") } });
        return body;
    }

    private async Task<(DicomStoreResult First, DicomStoreResult Second)> PushAsync(string first, string? second, string sopClass = CtImageStorage)
    {
        var client = new DicomClient("127.0.0.1", app.DicomPort, new DicomClientOptions { CallingAeTitle = "NORDSTADT_CT", CalledAeTitle = "TRIALFLOW" });
        await using var association = await client.AssociateAsync([new DicomProposedContext(sopClass, ["1.2.840.10008.1.2.1"])]);
        var a = await association.StoreFileAsync(first);
        var b = second is null ? a : await association.StoreFileAsync(second);
        await association.ReleaseAsync();
        return (a, b);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
