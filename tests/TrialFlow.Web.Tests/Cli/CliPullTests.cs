using TrialFlow.Cli;
using TrialFlow.Testing;

namespace TrialFlow.Web.Tests.Cli;

/// <summary><c>trialflow pull</c> against a running TrialFlow and site 101's PACS (Orthanc), over the server's API.</summary>
[Collection(PullCollection.Name)]
[Trait("Category", "Peer")]
public sealed class CliPullTests(PullApp app) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("trialflow-cli-pull-").FullName;

    [Fact]
    public async Task Pull_plans_runs_with_progress_and_exits_0_once_every_study_is_archived()
    {
        await app.RegisterPacsAsync();
        await app.RegisterSubjectsAsync("101-9C1", "101-9C2");
        await app.LoadStudyAsync("MRN-C1", "1.2.826.0.1.3680043.8.498.77.1", 2);
        await app.LoadStudyAsync("MRN-C2", "1.2.826.0.1.3680043.8.498.77.2", 3, "20250502");
        var cohort = Path.Combine(_folder, "cohort.csv");
        await File.WriteAllTextAsync(cohort, "subject_id,patient_id\n101-9C1,MRN-C1\n101-9C2,MRN-C2\n");

        var planOnly = await RunAsync("pull", "--site", "101", "--cohort", cohort, "--plan-only", "--server", app.BaseAddress.ToString(), "--user", "t-datamanager");
        var (exit, output, error) = await RunAsync("pull", "--site", "101", "--cohort", cohort, "--method", "get", "--server", app.BaseAddress.ToString(), "--user", "t-datamanager");

        Assert.True(planOnly.Exit == 0, planOnly.Error);
        Assert.Contains("by C-MOVE into site 101: 2 studies, 5 objects for 2 subjects; 0 rows bring nothing", planOnly.Out);
        Assert.Contains("line 3: 101-9C2: study of 2025-05-02 CT, 3 objects", planOnly.Out);
        Assert.Contains("planned, not started", planOnly.Out);
        Assert.True(exit == 0, output.Replace('\r', '\n') + error);
        Assert.Contains("[##############################] 2/2 studies, 5/5 objects", output);
        Assert.Contains("2 of 2 studies retrieved, 5 objects received, 5 archived, 0 already archived, 0 held for review, 0 studies failed", output);
        Assert.Contains("101-9C2: 1/1 studies, 3 archived, 0 held", output);
    }

    [Fact]
    public async Task Pull_exits_1_naming_every_mistake_of_a_cohort_file_and_2_on_wrong_options()
    {
        var cohort = Path.Combine(_folder, "cohort.csv");
        await File.WriteAllTextAsync(cohort, "subject_id,patient_id,accession_number\n101-9X1,,\n101-9X2,MRN-1,ACC-1\n");

        var (exit, _, error) = await RunAsync("pull", "--site", "101", "--cohort", cohort, "--server", app.BaseAddress.ToString(), "--user", "t-datamanager");
        var wrong = await RunAsync("pull", "--site", "101", "--cohort", cohort, "--pacs", "A@h:104", "--dicomweb", "http://pacs/", "--user", "t-datamanager");

        Assert.Equal(1, exit);
        Assert.Contains("line 2", error);
        Assert.Contains("line 3", error);
        Assert.Equal(2, wrong.Exit);
        Assert.Contains("give --pacs or --dicomweb, not both", wrong.Error);
    }

    private static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Environment.SetEnvironmentVariable("TRIALFLOW_PASSWORD", TrialFlowApp.Password);
        var exit = await CommandDispatcher.RunAsync(args, new CliConsole(output, error), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
