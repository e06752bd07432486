using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrialFlow.Retrieval.Jobs;
using TrialFlow.Testing.Peers;
using TrialFlow.Web.Tests.Support;

namespace TrialFlow.Benchmarks.Retrieval;

/// <summary>
/// Studies per second pulled from a site PACS (Debian's Orthanc) into TrialFlow's full intake (staged, de-identified,
/// archived, indexed) by C-MOVE, C-GET and WADO-RS, against the peer doing the least: Orthanc's own C-MOVE of the same
/// kind of studies, asked by dcmtk's movescu, to dcmtk's storescp writing files without fsync.
/// </summary>
public sealed class PullBenchmark() : Benchmark("pull", "studies/s pulled from Orthanc into TrialFlow (C-MOVE, C-GET, WADO-RS) vs Orthanc's C-MOVE to dcmtk storescp")
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var studies = BenchmarkArgs.Int(args, 0, 20);
        var perStudy = BenchmarkArgs.Int(args, 1, 10);
        using var folder = new BenchmarkFolder("pull");
        var storescpPort = PeerTools.FreePort();
        // The web app is hosted as the web tests host it; outside their project it is told where its content is.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_TRIALFLOW_WEB", Repository.Path("src", "TrialFlow.Web"));
        var app = new PullApp { OtherModalities = [new OrthancModality("STORESCP", "127.0.0.1", storescpPort)] };
        await app.InitializeAsync();
        try
        {
            await app.RegisterPacsAsync();
            // One set of studies per receiver: a second pull of the same studies would only find duplicates.
            var sets = new[] { "P", "M", "G", "W" }.ToDictionary(s => s, s => Enumerable.Range(1, studies).Select(i => (Mrn: $"MRN-{s}{i:D3}", Subject: $"101-8{s}{i:D3}",
                Uid: $"1.2.826.0.1.3680043.8.498.60.{(int)s[0]}.{i}")).ToList());
            foreach (var (_, set) in sets)
                foreach (var study in set)
                    await app.LoadStudyAsync(study.Mrn, study.Uid, perStudy, size: 128);
            await app.RegisterSubjectsAsync([.. sets.Where(s => s.Key != "P").SelectMany(s => s.Value).Select(s => s.Subject)]);

            var peer = await StorescpAsync(app, folder.Path, storescpPort, sets["P"].Select(s => s.Uid).ToList());
            var results = new List<(string Method, PullTimes Times)>();
            foreach (var (method, set) in new[] { ("move", "M"), ("get", "G"), ("dicomweb", "W") })
                results.Add((method, await PullAsync(app, method, sets[set].Select(s => (s.Subject, s.Mrn)).ToList(), studies * perStudy, cancellationToken)));

            Console.WriteLine($"pull benchmark: {studies} studies of {perStudy} CT images (128×128, ~33 KB each) per receiver, one study at a time, " +
                              "Orthanc 1.10 with its SQLite index on this machine");
            Console.WriteLine();
            MarkdownTable.Header("receiver", "seconds", "studies/s", "objects/s", "ratio to the peer (studies/s)");
            Console.WriteLine($"| Orthanc C-MOVE (dcmtk movescu) to dcmtk storescp (files, no fsync) | {peer:F2} | {studies / peer:N2} | {studies * perStudy / peer:N0} | 1.00 |");
            foreach (var (method, times) in results)
            {
                Console.WriteLine($"| TrialFlow pull by {method}: all received (durably staged) | {times.Received:F2} | {studies / times.Received:N2} | {studies * perStudy / times.Received:N0} | {peer / times.Received:F2} |");
                Console.WriteLine($"| TrialFlow pull by {method}: all archived (de-identified, indexed) | {times.Archived:F2} | {studies / times.Archived:N2} | {studies * perStudy / times.Archived:N0} | {peer / times.Archived:F2} |");
            }
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task<double> StorescpAsync(PullApp app, string root, int port, IReadOnlyList<string> studyUids)
    {
        var output = Path.Combine(root, "storescp");
        Directory.CreateDirectory(output);
        using var scp = PeerTools.Start("storescp", "--aetitle", "STORESCP", "--output-directory", output, port.ToString());
        await Task.Delay(500);
        var clock = Stopwatch.StartNew();
        foreach (var uid in studyUids)
            await PeerTools.RunAsync("movescu", "-S", "-aet", "TRIALFLOW", "-aec", OrthancPeer.AeTitle, "-aem", "STORESCP",
                "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={uid}", "127.0.0.1", app.Pacs.DicomPort.ToString());
        clock.Stop();
        scp.Kill();
        var received = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Length;
        if (received == 0)
            throw new InvalidOperationException("storescp received nothing: Orthanc did not move the studies");
        return clock.Elapsed.TotalSeconds;
    }

    private sealed record PullTimes(double Received, double Archived);

    private static async Task<PullTimes> PullAsync(PullApp app, string method, IReadOnlyList<(string Subject, string Mrn)> cohort, int objects, CancellationToken cancellationToken)
    {
        using var client = await app.ClientAsync("t-datamanager");
        var csv = "subject_id,patient_id\n" + string.Join('\n', cohort.Select(c => $"{c.Subject},{c.Mrn}"));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "cohort", $"bench-{method}.csv" }, { new StringContent(method), "method" } };
        using var planned = await client.PostAsync($"/api/sites/{app.Sites["101"]}/pulls", form, cancellationToken);
        var job = (await planned.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<PullSummary>(Json, cancellationToken))!;

        var clock = Stopwatch.StartNew();
        (await client.PostAsync($"/api/pulls/{job.Id}/start", null, cancellationToken)).EnsureSuccessStatusCode();
        double? received = null;
        while (true)
        {
            var summary = (await client.GetFromJsonAsync<PullSummary>($"/api/pulls/{job.Id}", Json, cancellationToken))!;
            if (received is null && summary.StudiesRetrieved == summary.Studies)
                received = clock.Elapsed.TotalSeconds;
            if (summary.Settled)
            {
                if (!summary.Succeeded || summary.Archived != objects)
                    throw new InvalidOperationException($"pull by {method}: {summary.State}, {summary.Archived} of {objects} archived, {summary.StudiesFailed} failed");
                return new PullTimes(received ?? clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds);
            }
            await Task.Delay(50, cancellationToken);
        }
    }
}
