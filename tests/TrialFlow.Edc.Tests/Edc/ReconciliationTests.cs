namespace TrialFlow.Edc.Tests.Edc;

public sealed class ReconciliationTests
{
    [Fact]
    public async Task The_reconciliation_lists_exactly_the_seeded_mismatches()
    {
        await using var edc = await EdcTrial.CreateAsync();
        var received = new DateTime(2026, 5, 1, 10, 0, 0, DateTimeKind.Utc);
        await using (var db = edc.Context())
        {
            // 101-001: baseline fine; WK06 scanned on day 60 (window 35–49); WK12 held on day 100 (window 77–91) without imaging.
            var s1 = new Subject(edc.TrialId, edc.Sites["101"], "101-001", SubjectStatus.Enrolled);
            var s1Baseline = s1.AddVisit(edc.Visits["BASELINE"], new DateOnly(2026, 3, 2));
            var s1Week6 = s1.AddVisit(edc.Visits["WK06"], new DateOnly(2026, 4, 13));
            s1.AddVisit(edc.Visits["WK12"], new DateOnly(2026, 6, 10));
            // 101-002: enrolled, visits in window, no imaging at all.
            var s2 = new Subject(edc.TrialId, edc.Sites["101"], "101-002", SubjectStatus.Enrolled);
            s2.AddVisit(edc.Visits["BASELINE"], new DateOnly(2026, 4, 20));
            s2.AddVisit(edc.Visits["WK06"], new DateOnly(2026, 6, 1));
            // 201-001: baseline fine, plus a study intake could not match to a visit.
            var s3 = new Subject(edc.TrialId, edc.Sites["201"], "201-001", SubjectStatus.Enrolled);
            var s3Baseline = s3.AddVisit(edc.Visits["BASELINE"], new DateOnly(2026, 3, 10));
            // 201-002: still screening, nothing expected of them yet.
            var s4 = new Subject(edc.TrialId, edc.Sites["201"], "201-002");
            db.Subjects.AddRange(s1, s2, s3, s4);
            db.Studies.AddRange(
                Study(edc, s1, s1Baseline.Id, "1.2.3.1", -3, received),
                Study(edc, s1, s1Week6.Id, "1.2.3.2", 60, received),
                Study(edc, s3, s3Baseline.Id, "1.2.3.3", 0, received),
                Study(edc, s3, null, "1.2.3.4", 50, received));
            await db.SaveChangesAsync();
        }

        await using var query = edc.Context();
        var items = await new ReconciliationQuery(query).RunAsync(edc.TrialId, CancellationToken.None);

        Assert.Equal(
        [
            (ReconciliationKind.ScanOutOfWindow, "101-001", "WK06", "1.2.3.2"),
            (ReconciliationKind.VisitWithoutImaging, "101-001", "WK12", null),
            (ReconciliationKind.VisitOutOfWindow, "101-001", "WK12", null),
            (ReconciliationKind.SubjectWithoutImaging, "101-002", null, null),
            (ReconciliationKind.ImagingWithoutVisit, "201-001", null, "1.2.3.4"),
        ], items.Select(i => (i.Kind, i.SubjectKey, i.VisitKey, i.StudyInstanceUid)));
        Assert.Contains("day 100", items[2].Detail);
        Assert.Contains("77 to 91", items[2].Detail);

        var csv = new StringWriter();
        Reconciliation.WriteCsv(csv, items);
        var lines = csv.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Kind,SiteNumber,SubjectKey,VisitKey,StudyInstanceUID,Detail", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("ImagingWithoutVisit,201,201-001,,1.2.3.4,", lines[5]);
    }

    [Fact]
    public async Task A_site_scoped_caller_sees_only_the_mismatches_of_their_sites()
    {
        await using var edc = await EdcTrial.CreateAsync();
        await using (var db = edc.Context())
        {
            db.Subjects.AddRange(new Subject(edc.TrialId, edc.Sites["101"], "101-001", SubjectStatus.Enrolled), new Subject(edc.TrialId, edc.Sites["201"], "201-001", SubjectStatus.Enrolled));
            await db.SaveChangesAsync();
        }

        await using var monitor = edc.Context(new Core.Access.Actor("u-mon", "Mo Monitor", "Monitor", Core.Access.SiteScope.Of([edc.TrialId], [edc.Sites["201"]])));
        var items = await new ReconciliationQuery(monitor).RunAsync(edc.TrialId, CancellationToken.None);

        Assert.Equal(["201-001"], items.Select(i => i.SubjectKey));
    }

    private static ImagingStudy Study(EdcTrial edc, Subject subject, Guid? visitId, string uid, int studyDay, DateTime received)
    {
        var study = new ImagingStudy(edc.TrialId, subject.SiteId, subject.Id, visitId, uid, received);
        study.Describe(null, "CT chest", studyDay);
        return study;
    }
}
