using Microsoft.AspNetCore.Hosting;
using TrialFlow.Testing;
using TrialFlow.Testing.Peers;

namespace TrialFlow.Web.Tests.Support;

/// <summary>
/// TrialFlow with its own data (pulls archive studies for subjects of their own and a test restarts the pull runner) and a
/// site PACS: Debian's Orthanc with DICOMweb, knowing TrialFlow's DICOM port as the C-MOVE destination TRIALFLOW, and
/// registered as site 101's PACS. Pull jobs poll and retry fast, and give a study up after two attempts.
/// </summary>
public sealed class PullApp : TrialFlowApp, IAsyncLifetime
{
    public OrthancPeer Pacs { get; private set; } = default!;

    /// <summary>Other nodes the PACS may send to besides TrialFlow (a benchmark's storescp).</summary>
    public IReadOnlyList<OrthancModality> OtherModalities { get; init; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("TrialFlow:Retrieval:PollInterval", "00:00:00.200");
        builder.UseSetting("TrialFlow:Retrieval:RetryDelay", "00:00:00.200");
        builder.UseSetting("TrialFlow:Retrieval:MaxAttempts", "2");
        builder.UseSetting("TrialFlow:Retrieval:NodeId", "node-a");
    }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Pacs = await OrthancPeer.StartAsync([new OrthancModality("TRIALFLOW", "127.0.0.1", DicomPort), .. OtherModalities], dicomWeb: true);
    }

    /// <summary>Puts a study of <paramref name="instances"/> CT images for <paramref name="mrn"/> on the PACS.</summary>
    public async Task LoadStudyAsync(string mrn, string studyUid, int instances, string studyDate = "20250301", ushort size = 8)
    {
        for (var i = 1; i <= instances; i++)
            await Pacs.UploadAsync(DicomSamples.CtImage(patientId: mrn, studyDate: studyDate, study: studyUid, instance: i, size: size));
    }

    /// <summary>Registers the PACS (DIMSE and DICOMweb) as site 101's, as its data manager would.</summary>
    public async Task RegisterPacsAsync()
    {
        using var client = await ClientAsync("t-datamanager");
        var response = await client.PutAsJsonAsync($"/api/sites/{Sites["101"]}/pacs", new
        {
            aeTitle = OrthancPeer.AeTitle, host = "127.0.0.1", port = Pacs.DicomPort, ourAeTitle = "TRIALFLOW", dicomWebUrl = Pacs.DicomWebRoot.ToString(),
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Registers enrolled subjects at site 101 (the registry a cohort's subject ids must be in).</summary>
    public Task RegisterSubjectsAsync(params string[] keys) => QueryAsync(async db =>
    {
        foreach (var key in keys)
            db.Subjects.Add(new TrialFlow.Core.Trials.Subject(TrialId, Sites["101"], key, TrialFlow.Core.Trials.SubjectStatus.Enrolled));
        return await db.SaveChangesAsync();
    });

    public new async Task DisposeAsync()
    {
        if (Pacs is not null)
            await Pacs.DisposeAsync();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PullCollection : ICollectionFixture<PullApp>
{
    public const string Name = "TrialFlow pulling from a site PACS";
}
