namespace TrialFlow.Web.Tests.Api;

/// <summary>
/// Issue 17: submit answers at once. While intake has not settled every received file it is 202 with the summary
/// (Processing counts the unsettled files) and the session's address to poll; once all are settled it completes the
/// session and answers 200. Intake's worker is stopped here, so "not yet settled" is a state, not a race.
/// </summary>
[Collection(IdleIntakeCollection.Name)]
public sealed class UploadSubmitTests(IdleIntakeApp app)
{
    [Fact]
    public async Task Submit_is_202_with_the_files_still_processing_and_200_with_the_outcomes_once_intake_has_settled_them()
    {
        var uploads = new UploadClient(await app.ClientAsync("t-siteuser"));
        var session = await uploads.OpenAsync(app.Sites["101"]);
        var study = $"1.2.826.0.1.3680043.17.{Random.Shared.Next(1, int.MaxValue)}";
        for (var i = 1; i <= 2; i++)
        {
            var file = DicomSamples.CtImage(study: study, instance: i);
            (await uploads.PutChunkAsync(session, $"f-{i}", file, 0, file.Length)).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.Accepted, (await uploads.CompleteAsync(session, $"f-{i}", file.Length)).StatusCode);
        }

        using var early = await uploads.SubmitAsync(session);

        Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        Assert.Equal($"/api/uploads/{session}", early.Headers.Location?.OriginalString);
        using var accepted = JsonDocument.Parse(await early.Content.ReadAsStringAsync());
        Assert.Equal(("Open", 2, 2, 0), Summary(accepted.RootElement));
        using var polled = JsonDocument.Parse(await (await uploads.SessionAsync(session)).Content.ReadAsStringAsync());
        Assert.Equal(PropertyNames(accepted.RootElement), PropertyNames(polled.RootElement));
        Assert.Equal(("Open", 2, 2, 0), Summary(polled.RootElement));

        await app.SettleIntakeAsync();
        using var settled = JsonDocument.Parse(await (await uploads.SessionAsync(session)).Content.ReadAsStringAsync());
        Assert.Equal(("Open", 2, 0, 2), Summary(settled.RootElement));
        using var submitted = await uploads.SubmitAsync(session);

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        using var final = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync());
        Assert.Equal(PropertyNames(accepted.RootElement), PropertyNames(final.RootElement));
        Assert.Equal(("Submitted", 2, 0, 2), Summary(final.RootElement));
        Assert.Equal(["f-1", "f-2"], final.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("fileId").GetString()).Order());
    }

    [Fact]
    public async Task Submitting_a_submitted_session_again_answers_its_summary_so_a_client_whose_answer_was_lost_can_retry()
    {
        var uploads = new UploadClient(await app.ClientAsync("t-siteuser"));
        var session = await uploads.OpenAsync(app.Sites["101"]);
        using var first = await uploads.SubmitAsync(session);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var again = await uploads.SubmitAsync(session);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var summary = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        Assert.Equal(("Submitted", 0, 0, 0), Summary(summary.RootElement));
    }

    private static (string? Status, int FilesReceived, int Processing, int Archived) Summary(JsonElement session) =>
        (session.GetProperty("status").GetString(), session.GetProperty("filesReceived").GetInt32(), session.GetProperty("processing").GetInt32(),
            session.GetProperty("archived").GetInt32());

    private static List<string> PropertyNames(JsonElement session) => session.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
}
