using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using TrialFlow.Deid.Pseudonyms;

namespace TrialFlow.Deid.Tests.Pseudonyms;

public sealed class PseudonymStoreTests : IAsyncLifetime
{
    private readonly string _dataDirectory = TestPaths.TempDirectory("store");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<PseudonymStore> OpenStoreAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = _dataDirectory }).Build();
        var store = new PseudonymStore(PseudonymStoreOptions.FromConfiguration(configuration));
        await store.MigrateAsync();
        return store;
    }

    private static DicomDataset Instance(string study, int n, string date) => new()
    {
        { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
        { DicomTags.SOPInstanceUID, $"{study}.1.{n}" },
        { DicomTags.StudyDate, date },
        { DicomTags.PatientID, "MRN-77" },
        { DicomTags.StudyInstanceUID, study },
        { DicomTags.SeriesInstanceUID, $"{study}.1" },
        { DicomTags.FrameOfReferenceUID, $"{study}.9" },
    };

    [Fact]
    public async Task Same_study_twice_via_another_site_alias_and_a_fresh_engine_gets_identical_UIDs()
    {
        var first = await OpenStoreAsync();
        var a = await new StoreBackedDeidentifier(TestPaths.TrialDefault, first, TestPaths.Trial("101")).DeidentifyAsync(Instance("1.2.826.0.1.5", 1, "20240105"), "101-0003");

        // A second process: new store object over the same database and key file, the study arriving via another AE/site alias.
        SqliteConnection.ClearAllPools();
        var second = await OpenStoreAsync();
        var b = await new StoreBackedDeidentifier(TestPaths.TrialDefault, second, TestPaths.Trial("101-B")).DeidentifyAsync(Instance("1.2.826.0.1.5", 1, "20240105"), "101-0003");

        foreach (var tag in new[] { DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.SOPInstanceUID, DicomTags.FrameOfReferenceUID })
        {
            Assert.StartsWith("2.25.", a.Dataset.GetString(tag), StringComparison.Ordinal);
            Assert.Equal(a.Dataset.GetString(tag), b.Dataset.GetString(tag));
        }
        Assert.NotEqual(a.Dataset.GetString(DicomTags.StudyInstanceUID), a.Dataset.GetString(DicomTags.SeriesInstanceUID));
    }

    [Fact]
    public async Task Intervals_between_a_subjects_study_dates_survive_modified_dates()
    {
        var store = await OpenStoreAsync();
        var deid = new StoreBackedDeidentifier(TestPaths.TrialDefault, store, TestPaths.Trial());
        var baseline = await deid.DeidentifyAsync(Instance("1.2.826.0.1.6", 1, "20240105"), "101-0003");
        var followUp = await deid.DeidentifyAsync(Instance("1.2.826.0.1.7", 1, "20240329"), "101-0003");
        var d0 = DateOnly.ParseExact(baseline.Dataset.GetString(DicomTags.StudyDate)!, "yyyyMMdd");
        var d1 = DateOnly.ParseExact(followUp.Dataset.GetString(DicomTags.StudyDate)!, "yyyyMMdd");
        Assert.Equal(new DateOnly(2024, 3, 29).DayNumber - new DateOnly(2024, 1, 5).DayNumber, d1.DayNumber - d0.DayNumber);
        Assert.NotEqual(new DateOnly(2024, 1, 5), d0);
    }

    [Fact]
    public async Task Store_never_holds_original_UIDs_or_patient_ids_in_clear()
    {
        var store = await OpenStoreAsync();
        var deid = new StoreBackedDeidentifier(TestPaths.TrialDefault, store, TestPaths.Trial());
        await deid.DeidentifyAsync(Instance("1.2.826.0.1.8", 1, "20240105"), "101-0003");
        Assert.Null(await store.LinkAsync("101", "MRN-77", "101-0003", "1.2.826.0.1.8"));
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_dataDirectory, "pseudonyms.db*"))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf("1.2.826.0.1.8"u8));
            Assert.Equal(-1, bytes.AsSpan().IndexOf("MRN-77"u8));
        }
    }

    [Fact]
    public async Task Concurrent_assignment_of_the_same_UIDs_gives_one_pseudonym_each()
    {
        var stores = new List<PseudonymStore>();
        for (var i = 0; i < 4; i++) stores.Add(await OpenStoreAsync());
        var uids = Enumerable.Range(0, 50).Select(i => $"1.2.826.0.1.99.{i}").ToArray();
        var results = await Task.WhenAll(stores.Select(s => Task.Run(() => s.GetOrCreateUidsAsync(uids))));
        foreach (var uid in uids)
            Assert.Single(results.Select(r => r[uid]).Distinct());
    }

    [Fact]
    public async Task Second_patient_id_in_a_known_study_or_a_relinked_patient_is_quarantined()
    {
        var store = await OpenStoreAsync();
        Assert.Null(await store.LinkAsync("101", "MRN-1", "101-0001", "1.2.826.0.2.1"));
        Assert.Null(await store.LinkAsync("101", "MRN-1", "101-0001", "1.2.826.0.2.1"));
        Assert.Contains("different Patient ID", await store.LinkAsync("101", "MRN-2", "101-0002", "1.2.826.0.2.1"), StringComparison.Ordinal);
        Assert.Contains("different subject", await store.LinkAsync("101", "MRN-1", "101-0009", "1.2.826.0.2.2"), StringComparison.Ordinal);
    }
}

public sealed class PseudonymMigrationTests
{
    [Fact]
    public async Task Pseudonym_store_migrations_match_the_model()
    {
        var dir = TestPaths.TempDirectory("migrations");
        try
        {
            var options = new PseudonymStoreOptions(TrialFlow.Core.Persistence.DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dir, "p.db")}", new byte[32]);
            await using var store = new PseudonymStore(options);
            await store.MigrateAsync();
            await using var db = store.CreateContext();
            Assert.False(db.Database.HasPendingModelChanges());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
