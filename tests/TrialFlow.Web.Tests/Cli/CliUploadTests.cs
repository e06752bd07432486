using TrialFlow.Cli;

namespace TrialFlow.Web.Tests.Cli;

/// <summary>The <c>trialflow upload</c> command against a running TrialFlow, over the same HTTP API as the browser.</summary>
[Collection(AppCollection.Name)]
public sealed class CliUploadTests(TrialFlowApp app) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("trialflow-cli-upload-").FullName;

    [Fact]
    public async Task Upload_sends_a_folder_reports_what_was_archived_and_what_was_held_and_why()
    {
        var study = $"1.2.826.0.1.3680043.7.{Random.Shared.Next(1, int.MaxValue)}";
        Directory.CreateDirectory(Path.Combine(_folder, "series1"));
        for (var i = 1; i <= 3; i++)
            await File.WriteAllBytesAsync(Path.Combine(_folder, "series1", $"IM{i:D4}.dcm"), DicomSamples.CtImage(patientId: "MRN-5521", study: study, instance: i));
        await File.WriteAllTextAsync(Path.Combine(_folder, "notes.txt"), "scanner notes, not DICOM");

        var (exit, output, error) = await RunAsync("upload", _folder, "--site", "101", "--subject", "101-002", "--server", app.BaseAddress.ToString(), "--user", "t-siteuser");

        Assert.True(exit == 1, output + error);
        // notes.txt is refused at intake's door (not DICOM): never received, listed with the reason.
        Assert.True(output.Contains("3 files received, 3 archived, 0 already archived, 0 held for review, 1 not accepted"), output.Replace('\r', '\n') + error);
        Assert.Contains("not accepted: notes.txt:", error);
        Assert.Contains("not a readable DICOM object", error);
        Assert.Contains("4/4 files", output);
        var session = Guid.Parse(System.Text.RegularExpressions.Regex.Match(output, @"session ([0-9a-f-]{36}):").Groups[1].Value);
        var receipts = await app.QueryAsync(db => db.IntakeReceipts.Where(r => r.UploadSessionId == session).ToListAsync());
        Assert.All(receipts, r => Assert.Equal((IntakeChannel.Cli, "Test SiteUser"), (r.Channel, r.Sender)));
        Assert.Equal(3, receipts.Count(r => r.Outcome == IntakeOutcome.Archived));
    }

    [Fact]
    public async Task Upload_to_a_site_that_is_not_yours_is_refused_before_sending_anything()
    {
        await File.WriteAllBytesAsync(Path.Combine(_folder, "a.dcm"), DicomSamples.CtImage());

        var (exit, _, error) = await RunAsync("upload", _folder, "--site", "201", "--server", app.BaseAddress.ToString(), "--user", "t-siteuser");

        Assert.Equal(2, exit);
        Assert.Contains("site 201 is not one of your sites", error);
    }

    [Fact]
    public async Task Upload_of_a_qualification_scan_archives_it_apart_and_names_no_subject()
    {
        var n = Random.Shared.Next(10_000, 99_999);
        using var manager = await app.ClientAsync("t-studymanager");
        var created = await manager.PostAsJsonAsync($"/api/trials/{app.TrialId}/sites",
            new { siteNumber = $"6{n}", name = "Clinique Qualifiée de Liège", country = "BE", timeZone = "Europe/Brussels", aeTitles = new[] { $"LIEGE_{n}" }, senderNetworks = Array.Empty<string>() });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var siteId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("siteId").GetGuid();
        await app.AddSiteUserAsync($"t-liege-{n}", siteId);
        var i = 0;
        foreach (var file in new CtStudy($"1.2.826.0.1.3680043.14.{n}", PatientId: "PHANTOM").Files())
            await File.WriteAllBytesAsync(Path.Combine(_folder, $"p{++i}.dcm"), file);

        var refused = await RunAsync("upload", _folder, "--site", $"6{n}", "--qualification", "--subject", "101-001", "--server", app.BaseAddress.ToString(), "--user", $"t-liege-{n}");
        var (exit, output, error) = await RunAsync("upload", _folder, "--site", $"6{n}", "--qualification", "--server", app.BaseAddress.ToString(), "--user", $"t-liege-{n}");

        Assert.Equal(2, refused.Exit);
        Assert.Contains("--qualification uploads a scanner's qualification scan, which names no --subject or --visit", refused.Error);
        Assert.True(exit == 0, error);
        Assert.Contains("4 files received, 4 archived", output);
        var scan = await app.QueryAsync(db => db.QualificationScans.SingleAsync(q => q.SiteId == siteId));
        Assert.Equal((4, IntakeChannel.Cli), (scan.NumberOfImages, scan.Channel));
        Assert.NotEqual(QualificationScanStatus.Receiving, scan.Status);
    }

    private static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Environment.SetEnvironmentVariable("TRIALFLOW_PASSWORD", TrialFlowApp.Password);
        try
        {
            var exit = await CommandDispatcher.RunAsync(args, new CliConsole(output, error), CancellationToken.None);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("TRIALFLOW_PASSWORD", null);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
