using TrialFlow.Intake.Staging;

namespace TrialFlow.Web.Tests.Support;

/// <summary>
/// Objects intake holds, for tests that decide on them: sent through a real channel (an upload session without a chosen
/// subject), or, for <see cref="QuarantineReason.ProcessingFailed"/>, which no channel produces on purpose, written
/// into quarantine the way the pipeline does (encrypted bytes with their staging header, and the item describing them).
/// </summary>
public static class HeldObjects
{
    /// <summary>
    /// Uploads <paramref name="files"/> in one session of <paramref name="siteNumber"/> with no subject chosen, waits until
    /// intake has settled them, and returns the quarantine items it made of them, in upload order.
    /// </summary>
    public static async Task<List<QuarantineItem>> UploadAsync(TrialFlowApp app, IReadOnlyList<byte[]> files, string siteNumber = "101", string userName = "t-siteuser")
    {
        using var client = await app.ClientAsync(userName);
        using var opened = await client.PostAsJsonAsync("/api/uploads", new { siteId = app.Sites[siteNumber] });
        opened.EnsureSuccessStatusCode();
        var session = (await opened.Content.ReadFromJsonAsync<SessionDto>())!.Id;
        for (var i = 0; i < files.Count; i++)
        {
            using var chunk = new ByteArrayContent(files[i]) { Headers = { ContentRange = new ContentRangeHeaderValue(0, files[i].Length - 1, files[i].Length) } };
            (await client.PutAsync($"/api/uploads/{session}/files/f-{i + 1}", chunk)).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync($"/api/uploads/{session}/files/f-{i + 1}/complete", new { size = files[i].Length })).EnsureSuccessStatusCode();
        }

        // Submit answers 202 while intake settles the files, 200 once every file has a receipt.
        // Bounded by the Web tests' one wait bound (Browsers.Timeout): intake is slow on a busy machine, never wrong.
        var deadline = DateTime.UtcNow + Browsers.Timeout;
        while (true)
        {
            using var submitted = await client.PostAsync($"/api/uploads/{session}/submit", null);
            submitted.EnsureSuccessStatusCode();
            if (submitted.StatusCode == System.Net.HttpStatusCode.OK)
                break;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"intake did not settle the uploaded files within {Browsers.Timeout.TotalSeconds:0} s ({Browsers.TimeoutVariable})");
            await Task.Delay(100);
        }
        var items = await app.QueryAsync(db => db.QuarantineItems.AsNoTracking().Where(q => q.UploadSessionId == session).ToListAsync());
        return [.. items.OrderBy(q => q.BlobName, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Holds <paramref name="files"/> at site 101 as <see cref="QuarantineReason.ProcessingFailed"/>, as if the pipeline had
    /// failed on each several times. The staging header carries <paramref name="clientReference"/>, so the receipts of
    /// the objects, once sent through intake again, can be found.
    /// </summary>
    public static Task<List<QuarantineItem>> ProcessingFailedAsync(TrialFlowApp app, string clientReference, IReadOnlyList<byte[]> files) =>
        WriteIntoQuarantineAsync(app, QuarantineReason.ProcessingFailed, "processing failed 3 times: the de-identification service was unavailable", clientReference, files);

    /// <summary>
    /// Writes <paramref name="files"/> into quarantine at site 101 as the pipeline does, held for <paramref name="reason"/>,
    /// without sending them through a channel: for many objects at once, or a reason no channel produces on purpose.
    /// </summary>
    public static async Task<List<QuarantineItem>> WriteIntoQuarantineAsync(TrialFlowApp app, QuarantineReason reason, string detail, string clientReference, IReadOnlyList<byte[]> files)
    {
        var stores = app.Services.GetRequiredService<IntakeStores>();
        var items = new List<QuarantineItem>();
        foreach (var file in files)
        {
            var staged = new StagedObject(IntakeChannel.StowRs, app.TrialId, app.Sites["101"], DateTime.UtcNow, "Test SiteUser", null, null, null, file.Length, clientReference);
            var name = await stores.Quarantine.WriteAsync(staged.ToBytes(), new MemoryStream(file), CancellationToken.None);
            var dataset = reason == QuarantineReason.UnreadableFile ? null : DicomFileReader.Read(new MemoryStream(file)).Dataset;
            var item = dataset is null
                ? new QuarantineItem(staged.TrialId, staged.SiteId, staged.Channel, reason, detail, name, staged.ReceivedAt, null, null, null, null)
                : new QuarantineItem(staged.TrialId, staged.SiteId, staged.Channel, reason, detail, name, staged.ReceivedAt, null, "CT", new DateOnly(2026, 4, 16), null);
            items.Add(stores.Grouping.Describe(item, dataset));
        }

        await app.QueryAsync(async db =>
        {
            db.QuarantineItems.AddRange(items);
            return await db.SaveChangesAsync($"test: held as {reason}");
        });
        return items;
    }

    private sealed record SessionDto(Guid Id);
}
