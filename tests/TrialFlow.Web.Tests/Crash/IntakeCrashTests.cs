using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using TrialFlow.Deid.Pseudonyms;
using Xunit.Abstractions;

namespace TrialFlow.Web.Tests.Crash;

/// <summary>
/// The durability promise of intake, tested the hard way: the host process is killed in the middle of a 1,000-instance
/// C-STORE push, restarted on the same data folder, and every instance whose C-STORE it acknowledged must be archived,
/// exactly once.
/// </summary>
[Collection(HostProcessCollection.Name)]
[Trait("Category", "Slow")]
public sealed class IntakeCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Instances = 1000;
    private const int KillAfterAcknowledgements = 400;
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    private readonly string _root = Directory.CreateTempSubdirectory("trialflow-crash-").FullName;

    [Fact]
    public async Task Killing_the_host_mid_push_loses_no_acknowledged_instance_and_stores_none_twice()
    {
        var data = Path.Combine(_root, "data");
        var files = WriteStudy(Path.Combine(_root, "study"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var acknowledged = new List<string>();
        using (var host = await HostProcess.StartAsync(data, "NORDSTADT_CT"))
        {
            await PushAsync(host.DicomPort, files, acknowledged, onAcknowledged: count =>
            {
                if (count == KillAfterAcknowledgements)
                    host.Kill();
            });
        }
        Assert.InRange(acknowledged.Count, KillAfterAcknowledgements, Instances - 1);
        await using (var db = Database(data))
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: killed after {acknowledged.Count} acknowledgements; {await Pushed(db).CountAsync()} were archived before the kill");

        using (var restarted = await HostProcess.StartAsync(data, "NORDSTADT_CT"))
        {
            var archived = await WaitUntilArchivedAsync(data, acknowledged);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: restarted; all {archived.Count} acknowledged instances archived");

            Assert.Equal(acknowledged.Count, archived.Count);
            await using var db = Database(data);
            // At most the one C-STORE in flight at the kill was staged without its acknowledgement reaching the sender.
            Assert.InRange(await Pushed(db).CountAsync(), acknowledged.Count, acknowledged.Count + 1);
            Assert.Equal(await Pushed(db).CountAsync(), await db.IntakeReceipts.CountAsync(r => r.Outcome == IntakeOutcome.Archived));
            Assert.Empty(await db.IntakeReceipts.Where(r => r.Outcome == IntakeOutcome.Quarantined).Select(r => r.Reason).ToListAsync());
            foreach (var hash in await Pushed(db).Select(i => i.ArchiveSha256).ToListAsync())
                Assert.True(File.Exists(ArchivePath(data, hash)), $"archived object {hash} is missing");

            // The sender then sends everything again, as a PACS retrying a failed job does: the rest arrives, nothing doubles.
            var resent = new List<string>();
            await PushAsync(restarted.DicomPort, files, resent, onAcknowledged: _ => { });
            Assert.Equal(Instances, resent.Count);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: all {Instances} sent again and acknowledged");
            await WaitUntilArchivedAsync(data, resent);
            Assert.Equal(Instances, await Pushed(db).CountAsync());
            var study = await db.Studies.SingleAsync(s => !(s.Description ?? "").StartsWith("Demo CT"));
            Assert.Equal(Instances, study.NumberOfInstances);
        }
    }

    /// <summary>What the test pushed: the demo also archives phantom images into its central-review studies ("Demo CT …").</summary>
    private static IQueryable<ImagingInstance> Pushed(TrialFlowDbContext db) =>
        db.Instances.Where(i => !(i.Series!.Study!.Description ?? "").StartsWith("Demo CT"));

    private static List<string> WriteStudy(string folder)
    {
        Directory.CreateDirectory(folder);
        var study = $"1.2.826.0.1.3680043.6.{Random.Shared.Next(1, int.MaxValue)}";
        var files = new List<string>();
        for (var i = 1; i <= Instances; i++)
        {
            var path = Path.Combine(folder, $"ct{i:D4}.dcm");
            File.WriteAllBytes(path, DicomSamples.CtImage(study: study, instance: i, size: 64));
            files.Add(path);
        }
        return files;
    }

    /// <summary>Sends the files over one association; collects the SOP Instance UIDs whose C-STORE succeeded, until the connection dies.</summary>
    private static async Task PushAsync(int port, IReadOnlyList<string> files, List<string> acknowledged, Action<int> onAcknowledged)
    {
        var client = new DicomClient("127.0.0.1", port, new DicomClientOptions { CallingAeTitle = "NORDSTADT_CT", CalledAeTitle = "TRIALFLOW", ResponseTimeout = TimeSpan.FromSeconds(30) });
        var association = await client.AssociateAsync(
            [new DicomProposedContext(CtImageStorage, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid])]);
        await using (association)
        {
            foreach (var file in files)
            {
                DicomStoreResult result;
                try
                {
                    result = await association.StoreFileAsync(file);
                }
                catch (DicomNetworkException)
                {
                    return; // the host is gone: whatever was not acknowledged was not promised
                }
                catch (IOException)
                {
                    return;
                }
                Assert.True(result.IsSuccess, $"{Path.GetFileName(file)}: {result.Status} {result.ErrorComment}");
                acknowledged.Add(result.SopInstanceUid!);
                onAcknowledged(acknowledged.Count);
            }
            await association.ReleaseAsync();
        }
    }

    /// <summary>Waits until every source SOP Instance UID is indexed under its pseudonym; returns the archived pseudonyms.</summary>
    private static async Task<IReadOnlyList<string>> WaitUntilArchivedAsync(string data, IReadOnlyList<string> sourceUids)
    {
        await using var pseudonyms = new PseudonymStore(PseudonymStoreOptions.FromConfiguration(Configuration(data)));
        var expected = (await pseudonyms.GetOrCreateUidsAsync(sourceUids)).Values.ToHashSet(StringComparer.Ordinal);
        await using var db = Database(data);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var archived = await db.Instances.Where(i => expected.Contains(i.SopInstanceUid)).Select(i => i.SopInstanceUid).ToListAsync();
            if (archived.Count == expected.Count)
                return archived;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{archived.Count} of {expected.Count} acknowledged instances archived after the restart");
            await Task.Delay(250);
        }
    }

    private static string ArchivePath(string data, string hash) => Path.Combine(data, "archive", hash[..2], hash[2..4], hash + ".dcm");

    private static IConfiguration Configuration(string data) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = data }).Build();

    private static TrialFlowDbContext Database(string data) =>
        DatabaseServiceCollectionExtensions.CreateContext(DatabaseOptions.FromConfiguration(Configuration(data)), Actor.System("crash-test"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
