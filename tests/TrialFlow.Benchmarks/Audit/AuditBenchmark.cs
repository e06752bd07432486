using TrialFlow.Core.Audit;
using TrialFlow.Core.Audit.Anchoring;

namespace TrialFlow.Benchmarks.Audit;

/// <summary>
/// Audit trail throughput on SQLite. Append: realistic transactions (a study with one series of N instances,
/// then status changes), every change audited and hash-chained, versus the same number of rows inserted by
/// plain ADO.NET with no hashing (the floor SQLite sets). Verify: walking the chain versus hashing the same
/// canonical content without reading the database (the floor HMAC-SHA256 with the chain key sets).
/// </summary>
public sealed class AuditBenchmark() : Benchmark("audit", "audit append (events/s) and chain verification (events/s) vs raw SQLite inserts / raw HMAC-SHA256")
{
    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var studies = BenchmarkArgs.Int(args, 0, 400);
        const int instancesPerStudy = 50;
        using var folder = new BenchmarkFolder("audit");
        var options = folder.Database;
        await using (var db = Context(options))
            await db.MigrateAsync(cancellationToken);
        var (trialId, siteId, subjectId) = await SeedAsync(options);

        // Warm-up: JIT and SQLite page cache.
        await AppendStudiesAsync(options, trialId, siteId, subjectId, 5, instancesPerStudy, "warm");
        var before = await CountAsync(options);
        var append = Stopwatch.StartNew();
        await AppendStudiesAsync(options, trialId, siteId, subjectId, studies, instancesPerStudy, "run");
        append.Stop();
        var appended = await CountAsync(options) - before;

        var raw = await RawInsertAsync(folder.Path, (int)appended);

        await using var verifyDb = Context(options);
        await AuditChainVerifier.VerifyAsync(verifyDb, cancellationToken); // warm
        var verify = Stopwatch.StartNew();
        var result = await AuditChainVerifier.VerifyAsync(verifyDb, cancellationToken);
        verify.Stop();
        if (!result.IsIntact)
            throw new InvalidOperationException(result.ToString());

        var hashOnly = HashOnly(await verifyDb.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(cancellationToken), options.AuditAnchor.Keys.Current);

        var transactions = studies * 2;
        Console.WriteLine($"audit benchmark: SQLite (WAL, synchronous=NORMAL), {studies} studies × {instancesPerStudy} instances, {transactions} transactions, {appended:N0} events appended; chain of {result.EventsChecked:N0} events");
        Console.WriteLine();
        MarkdownTable.Header("measurement", "TrialFlow", "peer", "peer figure", "ratio (TrialFlow / peer)");
        var appendRate = appended / append.Elapsed.TotalSeconds;
        Console.WriteLine($"| append, audited EF Core transactions | {appendRate:N0} events/s | plain ADO.NET INSERT of the same row count, one transaction per 51 rows, no hashing | {raw:N0} rows/s | {appendRate / raw:F2} |");
        var verifyRate = result.EventsChecked / verify.Elapsed.TotalSeconds;
        Console.WriteLine($"| verify chain (read + recompute) | {verifyRate:N0} events/s | HMAC-SHA256 (chain key) of the same canonical content, in memory | {hashOnly:N0} events/s | {verifyRate / hashOnly:F2} |");
    }

    private static async Task AppendStudiesAsync(DatabaseOptions options, Guid trialId, Guid siteId, Guid subjectId, int studies, int instances, string tag)
    {
        for (var s = 0; s < studies; s++)
        {
            await using var db = Context(options);
            var now = DateTime.UtcNow;
            var study = new ImagingStudy(trialId, siteId, subjectId, null, $"2.25.{tag.Length}{s}{Random.Shared.NextInt64(1, long.MaxValue)}", now);
            var series = study.AddSeries($"2.25.{Random.Shared.NextInt64(1, long.MaxValue)}", "CT", 2, "Portal venous 1.25 mm");
            for (var i = 0; i < instances; i++)
                series.AddInstance($"2.25.{Random.Shared.NextInt64(1, long.MaxValue)}{i}", "1.2.840.10008.5.1.4.1.1.2", i + 1,
                    Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), 40_000 + i, now);
            study.Recount();
            db.Studies.Add(study);
            await db.SaveChangesAsync();

            study.MarkComplete(DateTime.UtcNow);
            await db.SaveChangesAsync();
        }
    }

    private static async Task<double> RawInsertAsync(string directory, int rows)
    {
        var path = Path.Combine(directory, "raw.db");
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE e (s INTEGER PRIMARY KEY, t TEXT, a TEXT, n TEXT, r TEXT, act TEXT, et TEXT, eid TEXT, o TEXT, v TEXT, ph TEXT, h TEXT);";
            await setup.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        var sequence = 0;
        while (sequence < rows)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            for (var i = 0; i < 51 && sequence < rows; i++)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO e VALUES ($s, $t, 'u-1', 'Sam Study-Manager', 'StudyManager', 'Create', 'ImagingInstance', $id, NULL, $v, $ph, $h)";
                insert.Parameters.AddWithValue("$s", ++sequence);
                insert.Parameters.AddWithValue("$t", DateTime.UtcNow.ToString("O"));
                insert.Parameters.AddWithValue("$id", Guid.NewGuid().ToString());
                insert.Parameters.AddWithValue("$v", """{"ArchiveSha256":"0000000000000000000000000000000000000000000000000000000000000000","ArchiveSize":40000,"InstanceNumber":1}""");
                insert.Parameters.AddWithValue("$ph", AuditEvent.GenesisHash);
                insert.Parameters.AddWithValue("$h", AuditEvent.GenesisHash);
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        return rows / clock.Elapsed.TotalSeconds;
    }

    private static double HashOnly(List<AuditEvent> events, AuditChainKey key)
    {
        var clock = Stopwatch.StartNew();
        var sink = 0;
        foreach (var e in events)
            sink ^= AuditHasher.Compute(e, key)[0];
        clock.Stop();
        GC.KeepAlive(sink);
        return events.Count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(Guid Trial, Guid Site, Guid Subject)> SeedAsync(DatabaseOptions options)
    {
        await using var db = Context(options);
        var trial = new Trial("TF-BENCH", "Bench Sponsor", "Audit benchmark");
        var site = trial.AddSite("101", "Bench Site", "DE", "Europe/Berlin");
        var subject = new Subject(trial.Id, site.Id, "101-001", SubjectStatus.Enrolled);
        db.Trials.Add(trial);
        db.Subjects.Add(subject);
        await db.SaveChangesAsync();
        return (trial.Id, site.Id, subject.Id);
    }

    private static async Task<long> CountAsync(DatabaseOptions options)
    {
        await using var db = Context(options);
        return await db.AuditEvents.LongCountAsync();
    }

    private static TrialFlowDbContext Context(DatabaseOptions options) =>
        DatabaseServiceCollectionExtensions.CreateContext(options, new Actor("u-bench", "Sam Study-Manager", "StudyManager", SiteScope.Unrestricted));
}
