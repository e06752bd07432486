namespace TrialFlow.Web.Tests.Api;

/// <summary>DICOM push into the running host, sent by dcmtk (Debian's dcmtk, TCP_NODELAY=1 as .ci/run sets it).</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Peer")]
public sealed class DicomPushTests(TrialFlowApp app) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("trialflow-push-").FullName;

    [Fact]
    public async Task Storescu_from_a_registered_site_AE_is_acknowledged_and_archived_de_identified()
    {
        // Tests of this collection run one at a time: what arrived since this one started is this one's.
        var since = DateTime.UtcNow;
        var study = $"1.2.826.0.1.3680043.6.{Random.Shared.Next(1, int.MaxValue)}";
        for (var i = 1; i <= 2; i++)
            await File.WriteAllBytesAsync(Path.Combine(_folder, $"ct{i}.dcm"), DicomSamples.CtImage(study: study, instance: i));

        var (exit, output) = await Dcmtk.RunAsync("storescu", "-aet", "NORDSTADT_CT", "-aec", "TRIALFLOW", "127.0.0.1", app.DicomPort.ToString(), _folder, "+sd");

        Assert.True(exit == 0, output);
        var receipts = await app.WaitForReceiptsAsync(r => r.Channel == IntakeChannel.DicomPush && r.Sender!.StartsWith("NORDSTADT_CT@") && r.ReceivedAt >= since, count: 2);
        Assert.All(receipts, r => Assert.Equal(IntakeOutcome.Archived, r.Outcome));
        Assert.All(receipts, r => Assert.Equal(app.Sites["101"], r.SiteId));
    }

    [Fact]
    public async Task An_unregistered_calling_AE_title_is_rejected_at_association()
    {
        var (exit, output) = await Dcmtk.RunAsync("echoscu", "-aet", "ROGUE_MODALITY", "-aec", "TRIALFLOW", "127.0.0.1", app.DicomPort.ToString());

        Assert.NotEqual(0, exit);
        Assert.Contains("Calling AE Title Not Recognized", output);
    }

    [Fact]
    public async Task Echoscu_from_a_registered_site_AE_succeeds()
    {
        var (exit, output) = await Dcmtk.RunAsync("echoscu", "-aet", "KAS_PACS", "-aec", "TRIALFLOW", "127.0.0.1", app.DicomPort.ToString());

        Assert.True(exit == 0, output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
