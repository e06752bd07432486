using TrialFlow.Review.Domain;
using TrialFlow.Review.Forms;
using TrialFlow.Review.Service;

namespace TrialFlow.Benchmarks.Review;

/// <summary>
/// Reader worklist and read form load, server side (the reading service as the API and pages call it, a fresh
/// DbContext per call as per request), on SQLite with 50 readers × 2,000 tasks each. A third of the tasks are
/// signed baselines, so a follow-up's form loads its reader's earlier read. The issue names no peer: the figures are
/// compared with its aims (worklist &lt; 100 ms).
/// </summary>
public sealed class ReviewBenchmark() : Benchmark("review", "Central review: reader worklist and read form load p50/p95 with 50 readers × 2,000 tasks (SQLite)")
{
    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var readers = BenchmarkArgs.Int(args, 0, 50);
        var tasksPerReader = BenchmarkArgs.Int(args, 1, 2_000);
        var calls = BenchmarkArgs.Int(args, 2, 300);
        using var folder = new BenchmarkFolder("review", new Dictionary<string, string?> { ["TrialFlow:Review:Forms"] = Repository.Path("templates", "forms") });
        var services = new ServiceCollection().AddLogging();
        services.AddTrialFlowDatabase(folder.Configuration);
        services.AddTrialFlowReview(folder.Configuration, folder.Path);
        await using var provider = services.BuildServiceProvider();
        var setup = Stopwatch.StartNew();
        var (trialId, readerIds) = await SeedAsync(provider, readers, tasksPerReader, cancellationToken);
        var seeded = setup.Elapsed;
        var taskIds = await WithScopeAsync(provider, Actor.System("bench"), sp => sp.GetRequiredService<TrialFlowDbContext>().ReadTasks.Where(t => t.Status != ReadTaskStatus.Completed).Select(t => new { t.Id, t.ReaderUserId }).ToListAsync(cancellationToken));

        var random = new Random(7);
        async Task<double> Worklist()
        {
            var reader = readerIds[random.Next(readerIds.Count)];
            return await TimeAsync(provider, reader, sp => sp.GetRequiredService<ReadingService>().WorklistAsync(Reader(reader), cancellationToken));
        }
        async Task<double> Form()
        {
            var task = taskIds[random.Next(taskIds.Count)];
            return await TimeAsync(provider, task.ReaderUserId, sp => sp.GetRequiredService<ReadingService>().OpenAsync(task.Id, Reader(task.ReaderUserId), cancellationToken));
        }
        for (var i = 0; i < 20; i++)
        {
            await Worklist();
            await Form();
        }
        var worklist = new List<double>();
        var form = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            worklist.Add(await Worklist());
            form.Add(await Form());
        }
        var openPerReader = taskIds.Count / readers;
        Console.WriteLine($"review benchmark: {readers} readers × {tasksPerReader:N0} tasks = {readers * tasksPerReader:N0} read tasks ({openPerReader:N0} open per reader, a third signed), SQLite; seeded in {seeded.TotalSeconds:N0} s; {calls} calls each; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        MarkdownTable.Header("measurement (server side, fresh DbContext per call)", "p50", "p95", "max", "aim");
        Console.WriteLine($"| reader worklist (first 100 of {openPerReader:N0} open tasks, due first, + last 20 done) | {Percentile(worklist, 50):N1} ms | {Percentile(worklist, 95):N1} ms | {worklist.Max():N1} ms | < 100 ms |");
        Console.WriteLine($"| read form load (template, images, versions, own earlier reads) | {Percentile(form, 50):N1} ms | {Percentile(form, 95):N1} ms | {form.Max():N1} ms | — |");
    }

    private static Actor Reader(string userId) => new(userId, userId, TrialFlowRoles.Reader, SiteScope.None);

    private static async Task<double> TimeAsync<T>(IServiceProvider provider, string readerId, Func<IServiceProvider, Task<T>> call)
    {
        var watch = Stopwatch.StartNew();
        await WithScopeAsync(provider, Reader(readerId), call);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<T> WithScopeAsync<T>(IServiceProvider provider, Actor actor, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = provider.CreateAsyncScope();
        return await work(new ActorScope(scope.ServiceProvider, new FixedActorAccessor(actor)));
    }

    /// <summary>The scope's services with the given actor (what the host's actor accessor does per request).</summary>
    private sealed class ActorScope(IServiceProvider inner, IActorAccessor actor) : IServiceProvider
    {
        private TrialFlowDbContext? _db;

        public object? GetService(Type serviceType)
        {
            if (serviceType == typeof(TrialFlowDbContext))
                return _db ??= DatabaseServiceCollectionExtensions.CreateContext(inner.GetRequiredService<DatabaseOptions>(), actor.Current);
            if (serviceType == typeof(ReadingService))
                return new ReadingService((TrialFlowDbContext)GetService(typeof(TrialFlowDbContext))!, inner.GetRequiredService<FormTemplateCatalog>(), null!, TimeProvider.System);
            return inner.GetService(serviceType);
        }
    }

    private static async Task<(Guid TrialId, List<string> Readers)> SeedAsync(IServiceProvider provider, int readers, int tasksPerReader, CancellationToken cancellationToken)
    {
        var options = provider.GetRequiredService<DatabaseOptions>();
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(options, Actor.System("bench")))
            await db.MigrateAsync(cancellationToken);
        var template = FormTemplate.Load(Repository.Path("templates", "forms", "recist-1.1.json"));
        var baselineForm = new FormData(new Dictionary<string, string?> { ["imageQuality"] = "Adequate" }, new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>>
        {
            ["targetLesions"] = [new Dictionary<string, string?> { ["lesionId"] = "T1", ["organ"] = "Liver", ["status"] = "Measured", ["diameterMm"] = "40" },
                                 new Dictionary<string, string?> { ["lesionId"] = "T2", ["organ"] = "Lung", ["status"] = "Measured", ["diameterMm"] = "22" }],
        }).ToCanonicalJson();

        Guid trialId, siteId;
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(options, Actor.System("bench")))
        {
            var trial = new Trial("BENCH-REVIEW", "Bench", "Review benchmark");
            var site = trial.AddSite("101", "Bench site", "DE", "Europe/Berlin");
            db.Trials.Add(trial);
            await db.SaveChangesAsync(cancellationToken);
            (trialId, siteId) = (trial.Id, site.Id);
        }
        var readerIds = Enumerable.Range(1, readers).Select(i => $"bench-reader-{i:D2}").ToList();
        // Readers work in pairs; each pair reads its subjects' three timepoints (baseline signed, two follow-ups open).
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var n = 0;
        // The first pair's data goes through the domain and EF (audited); the other pairs are SQL copies of it with
        // their ids remapped, which seeds 100,000 tasks in seconds instead of most of an hour on a shared machine.
        for (var pair = 0; pair < 1; pair++)
        {
            await using var db = DatabaseServiceCollectionExtensions.CreateContext(options, Actor.System("bench"));
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var subjectId = Guid.Empty;
            for (var s = 0; s < tasksPerReader; s++)
            {
                var timepoint = s % 3;
                if (timepoint == 0)
                {
                    var subject = new Subject(trialId, siteId, $"101-{pair:D2}{s:D5}", SubjectStatus.Enrolled);
                    db.Subjects.Add(subject);
                    subjectId = subject.Id;
                }
                var study = new ImagingStudy(trialId, siteId, subjectId, null, $"2.25.{++n}", start);
                study.Describe(new DateOnly(2026, 1, 1).AddDays(timepoint * 42), "CT", timepoint * 42);
                study.AddSeries($"2.25.{n}.1", "CT", 1, "Venous");
                study.Recount();
                db.Studies.Add(study);
                for (var slot = 1; slot <= 2; slot++)
                {
                    var reader = readerIds[pair * 2 + slot - 1];
                    var task = new ReadTask(trialId, study.Id, subjectId, siteId, timepoint == 0 ? "Baseline" : $"Week {timepoint * 6}", study.StudyDate, slot, reader,
                        start.AddMinutes(n), start.AddDays(10 + n % 60));
                    db.ReadTasks.Add(task);
                    if (timepoint == 0)
                    {
                        var read = new Read(task.Id, reader, template.TemplateId, template.Version, start);
                        read.SaveDraft(baselineForm, """{"sumOfDiametersMm":"62","baselineSumMm":"62"}""", null, null, null, 62m);
                        var signature = new ElectronicSignature(nameof(Read), read.Id, reader, reader, ElectronicSignature.ReadMeaning, start, FormData.Sha256Of(baselineForm));
                        read.Sign(signature);
                        task.Complete(start);
                        db.Reads.Add(read);
                        db.ElectronicSignatures.Add(signature);
                    }
                }
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(options, Actor.System("bench")))
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            for (var pair = 1; pair < readers / 2; pair++)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                foreach (var sql in CopyPairSql(db, pair))
                    await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        return (trialId, readerIds);
    }

    /// <summary>INSERT ... SELECT statements copying pair 0's rows for <paramref name="pair"/> (up to 180 pairs): ids remapped, readers the pair's.</summary>
    private static IEnumerable<string> CopyPairSql(TrialFlowDbContext db, int pair)
    {
        // A version-4 GUID has '4' at position 15 and 8-B at 20: other digits there never collide with an original id.
        var (version, variant) = ("012356789ABCDEF"[(pair - 1) % 15], "01234567CDEF"[(pair - 1) / 15]);
        string Remap(string column) =>
            $"CASE WHEN \"{column}\" IS NULL THEN NULL ELSE substr(\"{column}\", 1, 14) || '{version}' || substr(\"{column}\", 16, 4) || '{variant}' || substr(\"{column}\", 21) END";
        string Reader(string column) => $"CASE \"{column}\" WHEN 'bench-reader-01' THEN 'bench-reader-{2 * pair + 1:D2}' ELSE 'bench-reader-{2 * pair + 2:D2}' END";
        const string pairZero = "('bench-reader-01', 'bench-reader-02')";
        var tables = new (string Table, string Where, Dictionary<string, string> Columns)[]
        {
            ("Subjects", $"\"Id\" IN (SELECT \"SubjectId\" FROM \"ReadTasks\" WHERE \"ReaderUserId\" IN {pairZero})",
                new() { ["Id"] = Remap("Id"), ["SubjectKey"] = $"\"SubjectKey\" || '-{pair}'" }),
            ("Studies", $"\"Id\" IN (SELECT \"StudyId\" FROM \"ReadTasks\" WHERE \"ReaderUserId\" IN {pairZero})",
                new() { ["Id"] = Remap("Id"), ["SubjectId"] = Remap("SubjectId"), ["StudyInstanceUid"] = $"\"StudyInstanceUid\" || '.{pair}'" }),
            ("Series", $"\"StudyId\" IN (SELECT \"StudyId\" FROM \"ReadTasks\" WHERE \"ReaderUserId\" IN {pairZero})",
                new() { ["Id"] = Remap("Id"), ["StudyId"] = Remap("StudyId"), ["SeriesInstanceUid"] = $"\"SeriesInstanceUid\" || '.{pair}'" }),
            ("ReadTasks", $"\"ReaderUserId\" IN {pairZero}",
                new() { ["Id"] = Remap("Id"), ["StudyId"] = Remap("StudyId"), ["SubjectId"] = Remap("SubjectId"), ["ReaderUserId"] = Reader("ReaderUserId") }),
            ("ElectronicSignatures", $"\"SignerUserId\" IN {pairZero}",
                new() { ["Id"] = Remap("Id"), ["RecordId"] = Remap("RecordId"), ["SignerUserId"] = Reader("SignerUserId") }),
            ("Reads", $"\"ReaderUserId\" IN {pairZero}",
                new() { ["Id"] = Remap("Id"), ["ReadTaskId"] = Remap("ReadTaskId"), ["SignatureId"] = Remap("SignatureId"), ["PreviousVersionId"] = Remap("PreviousVersionId"), ["ReaderUserId"] = Reader("ReaderUserId") }),
        };
        var connection = db.Database.GetDbConnection();
        foreach (var (table, where, columns) in tables)
        {
            var names = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"PRAGMA table_info(\"{table}\")";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                    names.Add(reader.GetString(1));
            }
            var select = names.Select(n => columns.TryGetValue(n, out var expression) ? expression : $"\"{n}\"");
            yield return $"INSERT INTO \"{table}\" ({string.Join(", ", names.Select(n => $"\"{n}\""))}) SELECT {string.Join(", ", select)} FROM \"{table}\" WHERE {where}";
        }
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}
