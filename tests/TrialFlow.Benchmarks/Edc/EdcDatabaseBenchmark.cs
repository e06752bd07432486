using System.Runtime.CompilerServices;
using System.Text.Json;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Forms;

namespace TrialFlow.Benchmarks.Edc;

/// <summary>
/// SDTM TU/TR/RS export from the database: SQLite seeded with N subjects × 6 timepoints × 2 signed reads (RECIST form
/// content and computed fields, 3 target + 2 non-target lesions, a new lesion from week 18 for one in four, an
/// adjudication of the last timepoint for one in three), exported through <see cref="ReadTableSdtmSource"/> (pages of
/// 100 subjects) into three CSV files. Peer: a source that loads the whole trial's review records in one round of
/// queries, then assembles and writes the same rows (outputs compared byte for byte). Time: best of three after a
/// warm-up; peak live heap: separate runs forcing a full collection every 50 subjects (and once after loading, for the
/// peer), minus the heap before the run.
/// </summary>
public sealed class EdcDatabaseBenchmark() : Benchmark("edc-db", "SDTM TU/TR/RS export read from the review tables (SQLite), 500 and 2000 subjects × 6 timepoints × 2 readers: time and peak live heap vs a load-everything source")
{
    private static readonly (string Key, string Name, int Day)[] Schedule =
        [("BASELINE", "Baseline", 0), ("WK06", "Week 6", 42), ("WK12", "Week 12", 84), ("WK18", "Week 18", 126), ("WK24", "Week 24", 168), ("EOT", "End of treatment", 210)];

    private static readonly string[] Organs = ["Liver", "Lung", "Lymph node", "Adrenal gland", "Peritoneum"];

    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var sizes = args.Count > 0 ? args.Select(int.Parse).ToArray() : [500, 2000];
        using var folder = new BenchmarkFolder("edc-db");
        var (directory, options) = (folder.Path, folder.Database);
        await using (var db = Context(options))
            await db.MigrateAsync(cancellationToken);
        var trials = new List<(int Subjects, Guid TrialId, TimeSpan Seeded)>();
        foreach (var subjects in sizes)
        {
            var watch = Stopwatch.StartNew();
            trials.Add((subjects, await SeedAsync(options, subjects, cancellationToken), watch.Elapsed));
        }

        var (_, warmTrial, _) = trials[0];
        for (var i = 0; i < 2; i++)
        {
            await RunOnceAsync(options, directory, "warm", warmTrial, paged: true, probe: false);
            await RunOnceAsync(options, directory, "warm", warmTrial, paged: false, probe: false);
        }
        Console.WriteLine($"edc-db benchmark: SDTM export from SQLite review tables to three CSV files on local disk, 6 timepoints × 2 readers per subject, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine($"seeded: {string.Join(", ", trials.Select(t => $"{t.Subjects:N0} subjects in {t.Seeded.TotalSeconds:N0} s"))}");
        Console.WriteLine();
        MarkdownTable.Header("subjects", "rows TU/TR/RS", "TrialFlow (pages of 100)", "peak live heap", "load-everything source", "peak live heap", "time ratio", "same bytes");
        foreach (var (subjects, trialId, _) in trials)
        {
            var ours = await SdtmRun.BestOfThreeAsync(() => RunOnceAsync(options, directory, "ours", trialId, paged: true, probe: false));
            var peer = await SdtmRun.BestOfThreeAsync(() => RunOnceAsync(options, directory, "peer", trialId, paged: false, probe: false));
            var oursPeak = await RunOnceAsync(options, directory, "ours", trialId, paged: true, probe: true);
            var peerPeak = await RunOnceAsync(options, directory, "peer", trialId, paged: false, probe: true);
            Console.WriteLine(SdtmRun.Row(subjects, ours, oursPeak, peer, peerPeak, SdtmRun.SameFiles(directory, "ours", "peer")));
        }
    }

    private static Task<SdtmRun> RunOnceAsync(DatabaseOptions options, string directory, string name, Guid trialId, bool paged, bool probe) =>
        SdtmRun.MeasureAsync(directory, name, async (tu, tr, rs, heap) =>
        {
            await using var db = Context(options);
            var source = paged
                ? new ReadTableSdtmSource(db).SubjectsAsync(trialId, CancellationToken.None)
                : LoadEverythingAsync(db, trialId, probe ? heap : null);
            return await SdtmWriter.WriteAsync("TF-BENCH-01", probe ? Probing(source, heap) : source, tu, tr, rs, CancellationToken.None);
        });

    private static async IAsyncEnumerable<SdtmSubjectResults> Probing(IAsyncEnumerable<SdtmSubjectResults> source, Action probe)
    {
        var n = 0;
        await foreach (var subject in source)
        {
            if (n++ % 50 == 0)
                probe();
            yield return subject;
        }
    }

    /// <summary>The peer: every review record of the trial in one round of queries, then the same assembly.</summary>
    private static async IAsyncEnumerable<SdtmSubjectResults> LoadEverythingAsync(TrialFlowDbContext db, Guid trialId, Action? probe, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var subjects = await db.Subjects.AsNoTracking().Where(s => s.TrialId == trialId).Select(s => new { s.Id, s.SubjectKey }).ToListAsync(cancellationToken);
        var tasks = await db.ReadTasks.AsNoTracking().Where(t => t.TrialId == trialId).Select(t => new { t.Id, t.StudyId, t.Slot }).ToDictionaryAsync(t => t.Id, cancellationToken);
        var reads = (await db.ReadTasks.AsNoTracking().Where(t => t.TrialId == trialId)
                .Join(db.Reads.AsNoTracking().Where(r => r.Status == ReadStatus.Signed), t => t.Id, r => r.ReadTaskId, (t, r) => r).ToListAsync(cancellationToken))
            .ToLookup(r => tasks[r.ReadTaskId].StudyId, r => new ReviewedRead(r.Id, tasks[r.ReadTaskId].Slot, r.Content, r.Computed, r.OverallResponse, r.BestOverallResponse, r.SumOfDiametersMm, r.IsAccepted));
        var adjudicated = await db.Adjudications.AsNoTracking().Where(a => a.TrialId == trialId && a.Status == AdjudicationStatus.Decided)
            .ToDictionaryAsync(a => a.StudyId, a => a.AcceptedReadId, cancellationToken);
        var studies = await db.Studies.AsNoTracking().Where(s => s.TrialId == trialId).ToListAsync(cancellationToken);
        var visits = await db.Visits.AsNoTracking().Include(v => v.Definition).Where(v => v.Definition!.TrialId == trialId).ToDictionaryAsync(v => v.Id, cancellationToken);
        probe?.Invoke();
        var baselines = visits.Values.Where(v => v.Definition!.NominalDay == 0).ToDictionary(v => v.SubjectId, v => v.VisitDate);
        var bySubject = studies.ToLookup(s => s.SubjectId);
        foreach (var subject in subjects.OrderBy(s => s.SubjectKey, StringComparer.Ordinal))
        {
            var timepoints = bySubject[subject.Id].Select(s =>
            {
                var visit = visits[s.VisitId!.Value];
                var scan = baselines[s.SubjectId] is { } day0 && s.StudyDay is { } day ? day0.AddDays(day) : (DateOnly?)null;
                return new ReviewedTimepoint(visit.Definition!.VisitKey, visit.Definition.Name, visit.Definition.Order, scan, RecistTerms.Method(s.Modalities),
                    reads[s.Id].ToList(), adjudicated.TryGetValue(s.Id, out var accepted) ? accepted : null);
            });
            yield return SdtmSubjectAssembler.Assemble(subject.SubjectKey, timepoints);
        }
    }

    private static async Task<Guid> SeedAsync(DatabaseOptions options, int subjects, CancellationToken cancellationToken)
    {
        Trial trial;
        await using (var db = Context(options))
        {
            trial = new Trial($"TF-BENCH-{subjects}", "Bench", "SDTM export benchmark");
            foreach (var (key, name, day) in Schedule)
                trial.AddVisit(key, name, day, day == 0 ? 28 : 7, day == 0 ? 0 : 7);
            trial.AddSite("101", "Bench site", "DE", "Europe/Berlin");
            db.Trials.Add(trial);
            await db.SaveChangesAsync(cancellationToken);
        }
        var siteId = trial.Sites.Single().Id;
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        const int batch = 50;
        for (var first = 0; first < subjects; first += batch)
        {
            await using var db = Context(options);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var s = first; s < Math.Min(subjects, first + batch); s++)
            {
                var subject = new Subject(trial.Id, siteId, $"101-{s:D5}", SubjectStatus.Enrolled);
                var day0 = new DateOnly(2026, 1, 5).AddDays(s % 90);
                var adjudicated = s % 3 == 0;
                var baselineSums = new decimal[2];
                for (var v = 0; v < Schedule.Length; v++)
                {
                    var visit = subject.AddVisit(trial.VisitSchedule[v], day0.AddDays(Schedule[v].Day));
                    var study = new ImagingStudy(trial.Id, siteId, subject.Id, visit.Id, $"2.25.{subjects}.{s}.{v}", start);
                    study.Describe(day0.AddDays(Schedule[v].Day - 365), "CT", Schedule[v].Day);
                    study.AddSeries($"2.25.{subjects}.{s}.{v}.1", "CT", 1, "Venous");
                    study.Recount();
                    db.Studies.Add(study);
                    var pair = new List<Read>(2);
                    for (var slot = 1; slot <= 2; slot++)
                    {
                        var task = new ReadTask(trial.Id, study.Id, subject.Id, siteId, Schedule[v].Name, study.StudyDate, slot, $"bench-reader-{slot}", start, start.AddDays(10));
                        var (content, computed, overall, sum) = Form(s, v, slot, ref baselineSums[slot - 1]);
                        var read = new Read(task.Id, task.ReaderUserId, "recist-1.1", 1, start);
                        read.SaveDraft(content, computed, overall, v == 0 ? null : "SD", null, sum);
                        var signature = new ElectronicSignature(nameof(Read), read.Id, task.ReaderUserId, task.ReaderUserId, ElectronicSignature.ReadMeaning, start, FormData.Sha256Of(content));
                        read.Sign(signature);
                        task.Complete(start);
                        db.ReadTasks.Add(task);
                        db.Reads.Add(read);
                        db.ElectronicSignatures.Add(signature);
                        pair.Add(read);
                    }
                    if (adjudicated && v == Schedule.Length - 1)
                    {
                        var adjudication = new Adjudication(trial.Id, study.Id, subject.Id, pair[0].Id, pair[1].Id, "OverallResponse: PR vs SD", "bench-adjudicator", start, start.AddDays(10));
                        var signature = new ElectronicSignature(nameof(Adjudication), adjudication.Id, "bench-adjudicator", "bench-adjudicator", ElectronicSignature.AdjudicationMeaning, start, new string('0', 64));
                        adjudication.Decide(pair[1].Id, "benchmark", signature);
                        pair[1].MarkAccepted(true);
                        db.Adjudications.Add(adjudication);
                        db.ElectronicSignatures.Add(signature);
                    }
                    else
                        pair[0].MarkAccepted(true);
                }
                db.Subjects.Add(subject);
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
        }
        return trial.Id;
    }

    /// <summary>One read's form: three shrinking target lesions, two present non-targets, a new lesion from week 18 for one subject in four.</summary>
    private static (string Content, string Computed, string? Overall, decimal Sum) Form(int s, int v, int slot, ref decimal baselineSum)
    {
        var targets = Enumerable.Range(0, 3).Select(t => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>
        {
            ["lesionId"] = $"T{t + 1}", ["organ"] = Organs[t], ["status"] = "Measured",
            ["diameterMm"] = (20 + (s * 7 + t * 5 + slot) % 30 - v * (s % 2 == 0 ? 2 : 0)).ToString(CultureInfo.InvariantCulture),
        }).ToList();
        var sum = targets.Sum(t => decimal.Parse(t["diameterMm"]!, CultureInfo.InvariantCulture));
        var newLesion = s % 4 == 0 && v >= 3;
        var form = new FormData(new Dictionary<string, string?> { ["imageQuality"] = "Adequate" }, new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>>
        {
            ["targetLesions"] = targets,
            ["nonTargetLesions"] = Enumerable.Range(0, 2).Select(n => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>
                { ["lesionId"] = $"NT{n + 1}", ["organ"] = Organs[3 + n], ["status"] = "Present" }).ToList(),
            ["newLesions"] = newLesion ? [new Dictionary<string, string?> { ["lesionId"] = "N1", ["organ"] = "Bone", ["certainty"] = "Unequivocal" }] : [],
        });
        if (v == 0)
        {
            baselineSum = sum;
            return (form.ToCanonicalJson(), JsonSerializer.Serialize(new Dictionary<string, string> { ["sumOfDiametersMm"] = Number(sum), ["baselineSumMm"] = Number(sum) }), null, sum);
        }
        var target = sum <= baselineSum * 0.7m ? "PR" : "SD";
        var overall = newLesion ? "PD" : target;
        return (form.ToCanonicalJson(), JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["sumOfDiametersMm"] = Number(sum), ["targetResponse"] = target, ["nonTargetResponse"] = "NonCrNonPd",
            ["newLesion"] = newLesion ? "true" : "false", ["overallResponse"] = overall,
        }), overall, sum);
    }

    private static string Number(decimal value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static TrialFlowDbContext Context(DatabaseOptions options) => DatabaseServiceCollectionExtensions.CreateContext(options, Actor.System("bench"));
}
