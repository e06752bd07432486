using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Archive;
using TrialFlow.Retrieval.Domain;
using TrialFlow.Retrieval.Jobs;
using TrialFlow.Testing;
using TrialFlow.Testing.Peers;

namespace TrialFlow.Web.Tests.Retrieval;

/// <summary>
/// Retrospective pulls from a real PACS (Orthanc) into site 101 through the whole product: the API plans a cohort, the
/// runner retrieves it by C-MOVE, C-GET or WADO-RS, intake de-identifies and archives it for the cohort's subjects. Each
/// test has its own patients on the PACS and its own subjects, and an outsider patient whose study must never arrive.
/// </summary>
[Collection(PullCollection.Name)]
[Trait("Category", "Peer")]
public sealed class RetrospectivePullTests(PullApp app)
{
    private const string Outsider = "MRN-OUTSIDER";

    [Theory]
    [InlineData("move", "M")]
    [InlineData("get", "G")]
    [InlineData("dicomweb", "W")]
    public async Task Exactly_the_cohorts_studies_are_archived_de_identified_for_their_subjects(string method, string tag)
    {
        await app.RegisterPacsAsync();
        var (first, second) = ($"101-9{tag}1", $"101-9{tag}2");
        await app.RegisterSubjectsAsync(first, second);
        await app.LoadStudyAsync($"MRN-{tag}1", $"1.2.826.0.1.3680043.8.498.7{(int)tag[0]}.1", 3);
        await app.LoadStudyAsync($"MRN-{tag}2", $"1.2.826.0.1.3680043.8.498.7{(int)tag[0]}.2", 2, "20250410");
        await app.LoadStudyAsync(Outsider, $"1.2.826.0.1.3680043.8.498.7{(int)tag[0]}.9", 4);
        var cohort = $"""
            subject_id,patient_id,study_instance_uid
            {first},MRN-{tag}1,
            {second},,1.2.826.0.1.3680043.8.498.7{(int)tag[0]}.2
            """;

        var planned = await PlanAsync(cohort, method);
        Assert.Equal((2, 5, 0), (planned.Studies, planned.ExpectedInstances, planned.RowsNotPlanned));
        var summary = await RunToEndAsync(planned.Id);

        Assert.True(summary.Succeeded, Describe(summary));
        Assert.Equal((2, 5, 5, 0), (summary.StudiesRetrieved, summary.Received, summary.Archived, summary.Held));
        Assert.Equal([(first, 3, 3), (second, 2, 2)], summary.Subjects.Select(s => (s.SubjectKey, s.ExpectedInstances, s.Archived)));
        var archived = await ArchivedAsync(first, second);
        Assert.Equal([(first, 3), (second, 2)], archived.Select(a => (a.Subject, a.Instances)));
        // De-identified at intake: the site's MRN and the study's UID at the site are nowhere in what was archived.
        foreach (var (subject, files) in archived.Select(a => (a.Subject, a.Files)))
            foreach (var bytes in files)
            {
                var text = Encoding.ASCII.GetString(bytes);
                Assert.DoesNotContain("MRN-", text);
                Assert.DoesNotContain("1.2.826.0.1.3680043.8.498.7", text);
                Assert.Equal(subject, DicomFileReader.Read(new MemoryStream(bytes)).Dataset.GetString(DicomTags.PatientID));
            }
        // Nothing of the patient outside the cohort was retrieved or stored.
        Assert.Equal(5, await app.QueryAsync(db => db.IntakeReceipts.CountAsync(r => r.Channel == IntakeChannel.Retrieval && r.ClientReference!.StartsWith("pull:")
            && summary.Items.Select(i => "pull:" + i.Id.ToString("N")).Contains(r.ClientReference))));
        Assert.Equal(0, await app.QueryAsync(db => db.Studies.CountAsync(s => s.SiteId == app.Sites["101"] && s.StudyInstanceUid.StartsWith("1.2.826.0.1.3680043.8.498.7"))));
    }

    [Fact]
    public async Task A_pull_interrupted_by_a_restart_resumes_on_another_runner_without_archiving_anything_twice()
    {
        await app.RegisterPacsAsync();
        string[] subjects = ["101-9R1", "101-9R2", "101-9R3"];
        await app.RegisterSubjectsAsync(subjects);
        for (var i = 0; i < subjects.Length; i++)
            await app.LoadStudyAsync($"MRN-R{i + 1}", $"1.2.826.0.1.3680043.8.498.79.{i + 1}", 4);
        var cohort = "subject_id,patient_id\n" + string.Join('\n', subjects.Select((s, i) => $"{s},MRN-R{i + 1}"));
        // Slow enough (64 KiB/s, about 20 KiB per object) that the restart falls in the middle of the pull.
        var planned = await PlanAsync(cohort, "get", maxBytesPerSecond: 64 * 1024);
        var runner = app.Services.GetRequiredService<PullJobRunner>();
        await ChangeAsync(planned.Id, "start");
        await Eventually.UntilAsync(() => SummaryAsync(planned.Id), s => s.Received >= 2, "the first objects of the pull");

        await runner.StopAsync(CancellationToken.None);
        var stopped = await SummaryAsync(planned.Id);
        Assert.Equal(PullJobState.Running, stopped.State);
        Assert.True(stopped.StudiesRetrieved < 3, Describe(stopped));

        // A new runner, as after a restart (or another node once the lease is released), takes the job up.
        var restarted = ActivatorUtilities.CreateInstance<PullJobRunner>(app.Services,
            app.Services.GetRequiredService<RetrievalOptions>() with { NodeId = "node-b" });
        await restarted.StartAsync(CancellationToken.None);
        try
        {
            var summary = await WaitSettledAsync(planned.Id);
            Assert.True(summary.Succeeded, Describe(summary));
            Assert.Equal(12, summary.Archived);
            var archived = await ArchivedAsync(subjects);
            Assert.Equal(subjects.Select(s => (s, 4)), archived.Select(a => (a.Subject, a.Instances)));
        }
        finally
        {
            await restarted.StopAsync(CancellationToken.None);
            await runner.StartAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Cohort_rows_that_bring_nothing_are_kept_with_why_and_a_pacs_that_refuses_fails_the_study_after_its_retries()
    {
        await app.RegisterPacsAsync();
        await app.RegisterSubjectsAsync("101-9F1");
        await app.LoadStudyAsync("MRN-F1", "1.2.826.0.1.3680043.8.498.78.1", 1);
        var cohort = """
            subject_id,patient_id,study_instance_uid
            101-9F1,MRN-F1,
            101-9F2,,1.2.826.0.1.3680043.8.498.78.1
            101-9F3,MRN-NOBODY,
            """;

        var planned = await PlanAsync(cohort, "move");

        Assert.Equal(
            [
                "line 2: its study of 2025-03-01 is also reached for subject 101-9F2",
                "line 3: subject 101-9F2 is not registered at site 101: register the subject first, then plan again",
                "line 4: subject 101-9F3 is not registered at site 101: register the subject first, then plan again",
            ],
            planned.Items.Select(i => i.Problem));
        using var client = await app.ClientAsync("t-datamanager");
        var refused = await client.PostAsync($"/api/pulls/{planned.Id}/start", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("nothing to retrieve", await refused.Content.ReadAsStringAsync());

        // A PACS that does not know the AE title TrialFlow calls with refuses the query: nothing is planned, and the answer says why.
        using var refusedPlan = await client.PostAsync($"/api/sites/{app.Sites["101"]}/pulls",
            Form("subject_id,patient_id\n101-9F1,MRN-F1", "move", pacs: $"ORTHANC@127.0.0.1:{app.Pacs.DicomPort}", ourAeTitle: "NOT_KNOWN"));
        Assert.Equal(HttpStatusCode.BadGateway, refusedPlan.StatusCode);
        Assert.Contains($"the PACS ORTHANC@127.0.0.1:{app.Pacs.DicomPort} could not be queried", await refusedPlan.Content.ReadAsStringAsync());

        // A study purged from the PACS after it was planned: each attempt brings nothing, and after its retries it is failed, with why.
        var purged = await PlanAsync("subject_id,patient_id\n101-9F1,MRN-F1", "move");
        await app.Pacs.DeleteStudyAsync("1.2.826.0.1.3680043.8.498.78.1");
        var summary = await RunToEndAsync(purged.Id);
        Assert.False(summary.Succeeded);
        var failed = Assert.Single(summary.Items);
        Assert.Equal((PullItemState.Failed, 2), (failed.State, failed.Attempts));
        Assert.Contains("C-MOVE ended with status 0xC000", failed.LastError);
    }

    [Fact]
    public async Task Only_data_managers_study_managers_and_administrators_of_the_site_pull_and_bad_input_is_named()
    {
        var site = app.Sites["101"];
        foreach (var role in new[] { "t-siteuser", "t-reader", "t-inspector", "t-monitor", "t-qclead" })
        {
            using var client = await app.ClientAsync(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/sites/{site}/pacs")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/pulls")).StatusCode);
        }
        using var manager = await app.ClientAsync("t-datamanager");
        var bad = await manager.PutAsJsonAsync($"/api/sites/{site}/pacs", new { aeTitle = "WAY_TOO_LONG_AE_TITLE", host = "pacs", port = 104 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("must be 1 to 16 characters", await bad.Content.ReadAsStringAsync());

        var badCohort = await manager.PostAsync($"/api/sites/{site}/pulls", Form("subject_id,patient_id\n,MRN-1\n101-001,", "move"));
        Assert.Equal(HttpStatusCode.BadRequest, badCohort.StatusCode);
        var problem = await badCohort.Content.ReadAsStringAsync();
        Assert.Contains("line 2", problem);
        Assert.Contains("line 3", problem);

        var badMethod = await manager.PostAsync($"/api/sites/{site}/pulls", Form("subject_id,patient_id\n101-001,MRN-1", "ftp"));
        Assert.Equal(HttpStatusCode.BadRequest, badMethod.StatusCode);
        Assert.Contains("not a pull method", await badMethod.Content.ReadAsStringAsync());
    }

    private static MultipartFormDataContent Form(string cohort, string method, string? pacs = null, string? ourAeTitle = null, long? maxBytesPerSecond = null)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(cohort)), "cohort", "cohort.csv" }, { new StringContent(method), "method" } };
        if (pacs is not null)
            form.Add(new StringContent(pacs), "pacs");
        if (ourAeTitle is not null)
            form.Add(new StringContent(ourAeTitle), "ourAeTitle");
        if (maxBytesPerSecond is { } limit)
            form.Add(new StringContent(limit.ToString(CultureInfo.InvariantCulture)), "maxBytesPerSecond");
        return form;
    }

    private async Task<PullSummary> PlanAsync(string cohort, string method, string? pacs = null, string? ourAeTitle = null, long? maxBytesPerSecond = null)
    {
        using var client = await app.ClientAsync("t-datamanager");
        var response = await client.PostAsync($"/api/sites/{app.Sites["101"]}/pulls", Form(cohort, method, pacs, ourAeTitle, maxBytesPerSecond));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PullSummary>(Json))!;
    }

    private async Task ChangeAsync(Guid job, string command)
    {
        using var client = await app.ClientAsync("t-datamanager");
        var response = await client.PostAsync($"/api/pulls/{job}/{command}", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<PullSummary> SummaryAsync(Guid job)
    {
        using var client = await app.ClientAsync("t-datamanager");
        return (await client.GetFromJsonAsync<PullSummary>($"/api/pulls/{job}", Json))!;
    }

    private async Task<PullSummary> RunToEndAsync(Guid job)
    {
        await ChangeAsync(job, "start");
        return await WaitSettledAsync(job);
    }

    private Task<PullSummary> WaitSettledAsync(Guid job) =>
        Eventually.UntilAsync(() => SummaryAsync(job), s => s.Settled, "the pull to finish and intake to settle what it brought", Describe);

    private static string Describe(PullSummary s) =>
        $"{s.State}: {s.StudiesRetrieved}/{s.Studies} retrieved, {s.StudiesFailed} failed, {s.Received} received, {s.Archived} archived, {s.Held} held " +
        $"({string.Join(", ", s.Holds.Select(h => $"{h.Reason} {h.Objects}"))}); {string.Join("; ", s.Items.Select(i => $"line {i.Line} {i.State} {i.LastError}{i.Problem}"))}";

    private async Task<List<(string Subject, int Instances, List<byte[]> Files)>> ArchivedAsync(params string[] subjects)
    {
        var archive = app.Services.GetRequiredService<IntakeStores>().Archive;
        var rows = await app.QueryAsync(db => db.Instances.Where(i => i.SiteId == app.Sites["101"])
            .Join(db.Studies, i => i.Series!.StudyId, s => s.Id, (i, s) => new { s.SubjectId, i.ArchiveSha256 })
            .Join(db.Subjects, x => x.SubjectId, s => s.Id, (x, s) => new { s.SubjectKey, x.ArchiveSha256 })
            .Where(x => subjects.Contains(x.SubjectKey)).ToListAsync());
        return rows.GroupBy(r => r.SubjectKey).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(), g.Select(r => ReadAll(archive, r.ArchiveSha256)).ToList())).ToList();
    }

    private static byte[] ReadAll(ContentAddressedArchive archive, string sha256)
    {
        using var stream = archive.OpenRead(sha256);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
