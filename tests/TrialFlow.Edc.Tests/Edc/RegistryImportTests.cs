using System.Text;

namespace TrialFlow.Edc.Tests.Edc;

public sealed class RegistryImportTests
{
    private static MemoryStream TwoSubjects() => OdmFiles.ClinicalData(
        ("101-001", "LOC.101", [("SE.BASELINE", "2026-03-02"), ("SE.WK06", "2026-04-13")]),
        ("201-001", "LOC.201", [("SE.BASELINE", "2026-03-10"), ("SE.WK06", null)]));

    [Fact]
    public async Task Importing_the_same_ODM_file_twice_registers_one_set_of_subjects_and_the_second_import_changes_nothing()
    {
        await using var edc = await EdcTrial.CreateAsync();

        await using (var db = edc.Context())
        {
            var first = await new RegistryImport(db).ImportOdmAsync(edc.TrialId, TwoSubjects(), "edc-2026-06-01.xml", EdcTrial.Mapping, dryRun: false, CancellationToken.None);
            Assert.True(first.Applied);
            Assert.Empty(first.Conflicts);
            Assert.Equal(2, first.Changes.Count(c => c.Kind == RegistryChangeKind.SubjectEnrolled));
            Assert.Equal(4, first.Changes.Count(c => c.Kind == RegistryChangeKind.VisitAdded));
        }
        var (subjects, visits, events) = await CountsAsync(edc);

        await using (var db = edc.Context())
        {
            var second = await new RegistryImport(db).ImportOdmAsync(edc.TrialId, TwoSubjects(), "edc-2026-06-01.xml", EdcTrial.Mapping, dryRun: false, CancellationToken.None);
            Assert.False(second.Applied);
            Assert.Empty(second.Changes);
            Assert.Empty(second.Conflicts);
            Assert.Equal(6, second.Unchanged);
        }

        Assert.Equal((2, 4), (subjects, visits));
        Assert.Equal((subjects, visits, events), await CountsAsync(edc));
        await using var check = edc.Context();
        var paris = await check.Subjects.Include(s => s.Visits).SingleAsync(s => s.SubjectKey == "201-001");
        Assert.Equal((edc.Sites["201"], SubjectStatus.Enrolled), (paris.SiteId, paris.Status));
        Assert.Single(paris.Visits, v => v.Status == VisitStatus.Planned);
        var imported = await check.AuditEvents.SingleAsync(e => e.Action == RegistryImport.ImportedAction);
        Assert.Equal("Dana Data-Manager", imported.ActorName);
        Assert.Contains("edc-2026-06-01.xml", imported.NewValues);
        Assert.True(await check.AuditEvents.AnyAsync(e => e.EntityType == nameof(Subject) && e.Action == "Create"));
    }

    [Fact]
    public async Task A_later_file_records_the_date_of_a_planned_visit_and_adds_new_visits()
    {
        await using var edc = await EdcTrial.CreateAsync();
        await using (var db = edc.Context())
            await new RegistryImport(db).ImportOdmAsync(edc.TrialId, TwoSubjects(), "day1.xml", EdcTrial.Mapping, false, CancellationToken.None);

        await using (var db = edc.Context())
        {
            var report = await new RegistryImport(db).ImportOdmAsync(edc.TrialId, OdmFiles.ClinicalData(
                ("201-001", "LOC.201", [("SE.BASELINE", "2026-03-10"), ("SE.WK06", "2026-04-21"), ("SE.WK12", null)])), "day2.xml", EdcTrial.Mapping, false, CancellationToken.None);
            Assert.True(report.Applied);
            Assert.Equal([(RegistryChangeKind.VisitDateRecorded, "WK06"), (RegistryChangeKind.VisitAdded, "WK12")], report.Changes.Select(c => (c.Kind, c.VisitKey!)));
        }
        await using var check = edc.Context();
        var visits = await check.Visits.Include(v => v.Definition).Where(v => v.SiteId == edc.Sites["201"]).ToListAsync();
        Assert.Equal(new DateOnly(2026, 4, 21), visits.Single(v => v.Definition!.VisitKey == "WK06").VisitDate);
    }

    [Fact]
    public async Task A_file_with_a_subject_moved_between_sites_and_an_unknown_visit_is_reported_and_changes_nothing()
    {
        await using var edc = await EdcTrial.CreateAsync();
        await using (var db = edc.Context())
            await new RegistryImport(db).ImportOdmAsync(edc.TrialId, TwoSubjects(), "day1.xml", EdcTrial.Mapping, false, CancellationToken.None);
        var before = await CountsAsync(edc);

        RegistryImportReport report;
        await using (var db = edc.Context())
            report = await new RegistryImport(db).ImportOdmAsync(edc.TrialId, OdmFiles.ClinicalData(
                ("101-001", "LOC.201", [("SE.BASELINE", "2026-03-02")]),
                ("101-002", "LOC.101", [("SE.BASELINE", "2026-05-02"), ("SE.UNSCHEDULED", "2026-05-20")]),
                ("201-001", "LOC.201", [("SE.BASELINE", "2026-03-11")])), "conflicting.xml", EdcTrial.Mapping, false, CancellationToken.None);

        Assert.False(report.Applied);
        Assert.Equal(
            [(RegistryConflictKind.UnknownVisit, "101-002"), (RegistryConflictKind.SubjectMovedSite, "101-001"), (RegistryConflictKind.VisitDateChanged, "201-001")],
            report.Conflicts.Select(c => (c.Kind, c.SubjectKey)));
        Assert.All(report.Conflicts, c => Assert.NotNull(c.Line));
        Assert.Contains("SE.UNSCHEDULED", report.Conflicts[0].Message);
        // 101-002 with its baseline would have been a valid change: a conflicting file is applied all or nothing.
        Assert.Contains(report.Changes, c => c.SubjectKey == "101-002");
        var after = await CountsAsync(edc);
        Assert.Equal((before.Subjects, before.Visits), (after.Subjects, after.Visits));
        Assert.Equal(before.Events + 1, after.Events);
        await using var check = edc.Context();
        var rejected = await check.AuditEvents.SingleAsync(e => e.Action == RegistryImport.RejectedAction);
        Assert.Contains("SubjectMovedSite", rejected.NewValues);
        Assert.Equal(edc.Sites["101"], (await check.Subjects.SingleAsync(s => s.SubjectKey == "101-001")).SiteId);
    }

    [Fact]
    public async Task A_CSV_file_imports_like_ODM_and_a_malformed_date_names_its_line()
    {
        await using var edc = await EdcTrial.CreateAsync();
        const string csv = "SubjectKey,SiteNumber,VisitKey,VisitDate\r\n101-001,101,BASELINE,2026-03-02\r\n101-001,101,WK06,\r\n101-003,101,,\r\n";
        await using (var db = edc.Context())
        {
            var report = await new RegistryImport(db).ImportCsvAsync(edc.TrialId, new MemoryStream(Encoding.UTF8.GetBytes(csv)), "registry.csv", false, CancellationToken.None);
            Assert.True(report.Applied);
            Assert.Equal(["101-001", "101-003"], report.Changes.Where(c => c.Kind == RegistryChangeKind.SubjectEnrolled).Select(c => c.SubjectKey));
        }
        await using (var db = edc.Context())
        {
            var again = await new RegistryImport(db).ImportCsvAsync(edc.TrialId, new MemoryStream(Encoding.UTF8.GetBytes(csv)), "registry.csv", false, CancellationToken.None);
            Assert.Empty(again.Changes);
        }

        await using var bad = edc.Context();
        var error = await Assert.ThrowsAsync<EdcFileException>(() => new RegistryImport(bad).ImportCsvAsync(edc.TrialId,
            new MemoryStream(Encoding.UTF8.GetBytes("SubjectKey,SiteNumber,VisitKey,VisitDate\n101-004,101,BASELINE,02/03/2026\n")), "bad.csv", false, CancellationToken.None));
        Assert.Equal(2, error.Line);
        Assert.Contains("Nothing was imported", error.Message);
    }

    [Fact]
    public async Task A_dry_run_reports_the_changes_and_saves_nothing()
    {
        await using var edc = await EdcTrial.CreateAsync();
        await using (var db = edc.Context())
        {
            var report = await new RegistryImport(db).ImportOdmAsync(edc.TrialId, TwoSubjects(), "preview.xml", EdcTrial.Mapping, dryRun: true, CancellationToken.None);
            Assert.Equal(6, report.Changes.Count);
            Assert.False(report.Applied);
        }
        Assert.Equal(0, (await CountsAsync(edc)).Subjects);
    }

    private static async Task<(int Subjects, int Visits, int Events)> CountsAsync(EdcTrial edc)
    {
        await using var db = edc.Context();
        return (await db.Subjects.CountAsync(), await db.Visits.CountAsync(), await db.AuditEvents.CountAsync());
    }
}
