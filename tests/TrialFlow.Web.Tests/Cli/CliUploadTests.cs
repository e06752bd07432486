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
