using TrialFlow.Qc.Domain;
using TrialFlow.Deid.Engine;

namespace TrialFlow.Benchmarks.Dossier;

/// <summary>
/// Writes one subject with a long history straight into the database (no DICOM, no engine: the benchmark measures the
/// dossier, not the pipeline): <see cref="Visits"/> visits with a CT study each of <see cref="SeriesPerStudy"/> series,
/// intake receipts and de-identification records per instance, a QC result with findings per study, a five-step
/// workflow journal per study, and status changes with reasons until the subject's records carry
/// <see cref="AuditEvents"/> audit events.
/// </summary>
internal sealed class DossierBenchmarkSubject
{
    public int Visits { get; init; } = 10;

    public int SeriesPerStudy { get; init; } = 5;

    public int InstancesPerSeries { get; init; } = 4;

    public int AuditEvents { get; init; } = 2000;

    /// <summary>
    /// Queries with threads (issue 8). Not written yet: queries do not exist in TrialFlow at the time of writing. When
    /// the Query entity lands, create this many here (a thread of 3 messages each) and its history section picks them up.
    /// </summary>
    public int Queries { get; init; } = 20;

    public async Task<Guid> WriteAsync(DatabaseOptions database, WorkflowStore workflows)
    {
        var actor = new Actor("u-bench", "Bea Benchmark", "DataManager", SiteScope.Unrestricted);
        // Visits 6 weeks apart, the last one a week ago: the whole history lies before the benchmark's cut-off (now).
        var start = DateTime.UtcNow.Date.AddHours(9).AddDays(-(Visits - 1) * 42 - 7);
        var trial = new Trial("TF-BENCH-01", "Benchmark Sponsor", "Dossier benchmark trial");
        var schedule = Enumerable.Range(0, Visits).Select(v => trial.AddVisit(v == 0 ? "BASELINE" : $"WK{v * 6:00}", v == 0 ? "Baseline" : $"Week {v * 6}", v * 42, 7, 7)).ToList();
        var site = trial.AddSite("101", "Nordstadt", "DE", "Europe/Berlin");
        var subject = new Subject(trial.Id, site.Id, "101-0001", SubjectStatus.Enrolled);
        var ruleset = new QcRulesetVersion("trial-default", 1, "ruleset: trial-default\nrules: []\n", "bench", start, "benchmark");
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, actor))
        {
            db.Trials.Add(trial);
            db.Subjects.Add(subject);
            db.QcRulesetVersions.Add(ruleset);
            await db.SaveChangesAsync();
        }

        var studies = new List<ImagingStudy>();
        for (var v = 0; v < Visits; v++)
        {
            await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, actor);
            db.Attach(subject);
            var at = start.AddDays(v * 42);
            var visit = subject.AddVisit(schedule[v], DateOnly.FromDateTime(at));
            var study = new ImagingStudy(trial.Id, site.Id, subject.Id, visit.Id, Uid(), at);
            study.Describe(DateOnly.FromDateTime(at), "CT CHEST ABDOMEN PELVIS", v * 42);
            for (var s = 1; s <= SeriesPerStudy; s++)
            {
                var series = study.AddSeries(Uid(), "CT", s, s == 1 ? "TOPOGRAM" : $"PORTAL VENOUS AXIAL {s}");
                for (var i = 1; i <= InstancesPerSeries; i++)
                {
                    var instance = series.AddInstance(Uid(), "1.2.840.10008.5.1.4.1.1.2", i, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), 530_000, at);
                    db.IntakeReceipts.Add(new IntakeReceipt($"bench-{instance.Id:N}", trial.Id, site.Id, IntakeChannel.DicomPush, at, at.AddSeconds(1), IntakeOutcome.Archived,
                        null, 530_000, null, study.Id, instance.Id, null, "SITE101_CT@10.1.2.3"));
                    db.RecordEvent("Deidentified", "ImagingInstance", instance.Id.ToString(), site.Id, Deid(instance.SopInstanceUid).ToJson());
                }
            }
            study.Recount();
            study.MarkComplete(at.AddMinutes(5));
            db.Studies.Add(study);
            var result = new QcResult(study.Id, site.Id, ruleset, "tf-onc-301-imaging", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), at.AddMinutes(6), "intake");
            result.AddFinding("QC-MISSING-ATTRIBUTE", QcSeverity.Minor, $"Series 2 'PORTAL VENOUS AXIAL 2' lacks mandatory AcquisitionTime (0008,0032) in {InstancesPerSeries} image(s)", study.Series[1].SeriesInstanceUid);
            result.AddFinding("QC-SLICE-THICKNESS", QcSeverity.Info, "Slice thickness 1.25 mm is within 0.5–2.5 mm", null);
            db.QcResults.Add(result);
            await db.SaveChangesAsync();
            studies.Add(study);
            await WriteJournalAsync(workflows, study, at);
        }

        // Status changes with reasons until the subject's records carry the wanted number of events.
        var covered = await CountCoveredAsync(database, subject.Id);
        var round = 0;
        while (covered < AuditEvents)
        {
            await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, actor);
            var id = studies[round % studies.Count].Id;
            var study = await db.Studies.SingleAsync(s => s.Id == id);
            study.Describe(study.StudyDate, round / studies.Count % 2 == 0 ? "CT chest abdomen pelvis (corrected)" : "CT chest abdomen pelvis", study.StudyDay);
            await db.SaveChangesAsync($"benchmark: description round {round} corrected by the site");
            covered++;
            round++;
        }
        return subject.Id;
    }

    private static async Task<int> CountCoveredAsync(DatabaseOptions database, Guid subjectId)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, Actor.System("bench"));
        var history = await new Reports.History.SubjectHistoryBuilder([]).BuildAsync(db, subjectId, DateTime.UtcNow.AddYears(5));
        return history!.CoveredEventCount;
    }

    private static async Task WriteJournalAsync(WorkflowStore store, ImagingStudy study, DateTime at)
    {
        await using var wf = store.Context();
        var id = Guid.NewGuid().ToString();
        wf.Instances.Add(new WorkflowInstanceRecord
        {
            Id = id, DefinitionId = "qc-gate", Version = 1, Reference = $"qc-gate:{study.Id}", Status = "Complete",
            Data = $$"""{"StudyId":"{{study.Id}}"}""", CreateTime = at.AddMinutes(5), CompleteTime = at.AddMinutes(7),
        });
        string[][] steps = [["completed", "StudyCompleted", "done"], ["qc", "RunQc", "passed"], ["mark-passed", "SetStudyStatus", "done"], ["notify-passed", "Notify", "done"], ["export", "Notify", "done"]];
        foreach (var (step, n) in steps.Select((s, n) => (s, n)))
            wf.Journal.Add(new JournalEntry
            {
                InstanceId = id, ExecutionPointerId = $"{id}-{n}", ActivityId = step[0], ActivityType = step[1], Kind = JournalEntryKind.Completed,
                Outcome = step[2], StartedAt = at.AddMinutes(5).AddSeconds(n * 10), EndedAt = at.AddMinutes(5).AddSeconds(n * 10 + 2),
            });
        await wf.SaveChangesAsync();
    }

    private static DeidRecord Deid(string sop) => new("trial-default", "2026.1", ["retainLongitudinalTemporalInformationWithModifiedDates", "cleanDescriptors"], sop,
        Enumerable.Range(0, 30).Select(i => new DeidActionRecord($"(0010,{0x10 + i:X4})", $"Attribute{i}", i % 3 == 0 ? "X" : i % 3 == 1 ? "U" : "D")).ToList(), []);

    private static string Uid() => "2.25." + new System.Numerics.BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true);
}
