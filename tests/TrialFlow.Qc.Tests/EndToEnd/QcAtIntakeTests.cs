using System.Text.Json;
using TrialFlow.Qc.Events;

namespace TrialFlow.Qc.Tests.EndToEnd;

public sealed class QcAtIntakeTests
{
    [Fact]
    public async Task A_compliant_study_passes_QC_when_it_completes_intake()
    {
        await using var harness = await QcHarness.CreateAsync();
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.500"));

        await harness.DispatchEventsAsync();

        await using var db = harness.Db();
        var result = await db.QcResults.Include(r => r.Findings).SingleAsync();
        // QC tells the other modules in the same save: QcSettled, with the result that settled it.
        var settled = JsonSerializer.Deserialize<QcSettled>((await db.Outbox.SingleAsync(m => m.Type == nameof(QcSettled))).Payload)!;
        Assert.Equal((result.StudyId, result.Id, true), (settled.StudyId, settled.ResultId, settled.Passed));
        Assert.True(result.Findings.Count == 0, string.Join(Environment.NewLine, result.Findings.Select(f => $"{f.RuleId}: {f.Message}")));
        Assert.Equal(QcOutcome.Passed, result.Outcome);
        Assert.Equal(StudyStatus.QcPassed, (await db.Studies.SingleAsync()).Status);
    }

    [Fact]
    public async Task A_study_with_thick_slices_and_early_venous_phase_fails_with_exactly_those_two_findings()
    {
        await using var harness = await QcHarness.CreateAsync();
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.501") { SliceThickness = 7.5, VenousAcquisitionTime = "101545" });

        await harness.DispatchEventsAsync();

        await using var db = harness.Db();
        var study = await db.Studies.Include(s => s.Series).SingleAsync();
        var result = await db.QcResults.Include(r => r.Findings).SingleAsync();
        Assert.Equal(QcOutcome.Failed, result.Outcome);
        Assert.Equal(StudyStatus.QcFailed, study.Status);
        Assert.Equal(["QC-CONTRAST-TIMING", "QC-SLICE-THICKNESS"], result.Findings.Select(f => f.RuleId).Order());
        var venous = study.Series.Single(s => s.SeriesNumber == 2).SeriesInstanceUid;
        Assert.All(result.Findings, f => Assert.Equal((QcSeverity.Major, venous), (f.Severity, f.SeriesInstanceUid)));
        Assert.Contains("slice thickness 7.5 mm is outside 0.5-5 mm", result.Findings.Single(f => f.RuleId == "QC-SLICE-THICKNESS").Message);
        Assert.Contains("acquired 45 s after injection start; the protocol asks for 60-80 s", result.Findings.Single(f => f.RuleId == "QC-CONTRAST-TIMING").Message);
    }

    [Fact]
    public async Task A_scan_uploaded_for_a_visit_whose_window_it_misses_fails_on_the_visit_window_alone()
    {
        await using var harness = await QcHarness.CreateAsync();
        Guid subjectId, baselineVisitId;
        await using (var setup = harness.Db())
        {
            var subject = await setup.Subjects.Include(s => s.Visits).SingleAsync();
            (subjectId, baselineVisitId) = (subject.Id, subject.Visits.Single().Id);
        }

        // Baseline is 2026-03-02 with a window of days -28..0; a scan on 2026-04-16 is study day 45.
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.505"), subjectId, baselineVisitId);
        await harness.DispatchEventsAsync();

        await using var db = harness.Db();
        var study = await db.Studies.SingleAsync();
        var result = await db.QcResults.Include(r => r.Findings).SingleAsync();
        Assert.Equal(45, study.StudyDay);
        Assert.Equal(["QC-VISIT-WINDOW"], result.Findings.Select(f => f.RuleId));
        Assert.Equal("Scanned on study day 45, outside the BASELINE window (days -28 to 0)", result.Findings[0].Message);
        Assert.Equal(QcOutcome.Failed, result.Outcome);
    }

    [Fact]
    public async Task The_result_records_ruleset_and_protocol_hashes_and_is_audited_once()
    {
        await using var harness = await QcHarness.CreateAsync();
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.502"));
        await harness.DispatchEventsAsync();

        await using var db = harness.Db();
        var study = await db.Studies.SingleAsync();
        var first = await harness.Qc.RunQcAsync(study.Id);
        var again = await harness.Qc.RunQcAsync(study.Id);

        var version = await db.QcRulesetVersions.SingleAsync();
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, await db.QcResults.CountAsync());
        Assert.Equal((version.Id, version.ContentSha256, 1), (first.RulesetVersionId, first.RulesetSha256, first.RulesetNumber));
        Assert.Equal(("tf-onc-301-imaging-v2", 64), (first.ProtocolName, first.ProtocolSha256.Length));
        var events = await db.AuditEvents.Where(e => e.Action == "QcRun").ToListAsync();
        Assert.Equal(study.Id.ToString(), Assert.Single(events).EntityId);
        Assert.Contains(version.ContentSha256, events[0].NewValues);
        Assert.True(await db.AuditEvents.AnyAsync(e => e.EntityType == "QcResult" && e.Action == "Create"));
    }

    [Fact]
    public async Task A_new_ruleset_version_is_published_with_a_reason_and_an_explicit_rerun_applies_it()
    {
        await using var harness = await QcHarness.CreateAsync();
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.503") { VenousImages = 2 });
        await harness.DispatchEventsAsync();
        var lead = new Actor("u-qc", "Quinn QC-Lead", "QcLead", SiteScope.Unrestricted);
        await using var db = harness.Db(lead);
        var study = await db.Studies.SingleAsync();
        var (active, _) = await harness.Rulesets.ActiveAsync(db, CancellationToken.None);

        // A stricter coverage rule: the two venous images span 200 mm; the protocol asks for 300 mm.
        var stricter = active.Content.Replace("  - id: QC-COVERAGE\n    description: The series covers at least the protocol's minimum extent\n    severity: minor",
            "  - id: QC-COVERAGE\n    description: The series covers at least the protocol's minimum extent\n    severity: major");
        Assert.NotEqual(active.Content, stricter);
        var published = await harness.Rulesets.PublishAsync(db, stricter, "Coverage below protocol makes RECIST unreliable", CancellationToken.None);
        var rerun = await harness.Qc.RerunAsync(study.Id, lead, "Ruleset v2: coverage is major");

        Assert.Equal((2, "Quinn QC-Lead"), (published.Number, published.PublishedBy));
        Assert.Equal((QcOutcome.Failed, "rerun", 2), (rerun.Outcome, rerun.Trigger, rerun.RulesetNumber));
        Assert.Equal(["QC-COVERAGE"], rerun.Findings.Select(f => f.RuleId));
        var results = await db.QcResults.AsNoTracking().OrderBy(r => r.RulesetNumber).ToListAsync();
        Assert.Equal([QcOutcome.PassedWithFindings, QcOutcome.Failed], results.Select(r => r.Outcome));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.EntityType == "QcResult" && e.Reason == "Ruleset v2: coverage is major" && e.ActorId == "u-qc"));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "QcRun" && e.ActorId == "u-qc" && e.NewValues!.Contains("Ruleset v2: coverage is major")));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.EntityType == "QcRulesetVersion" && e.Reason == "Coverage below protocol makes RECIST unreliable"));
    }

    [Fact]
    public async Task QC_run_before_completion_is_not_repeated_and_completion_still_settles_the_status()
    {
        await using var harness = await QcHarness.CreateAsync();
        var files = new CtStudy("1.2.826.0.1.3680043.2.506") { SliceThickness = 7.5 };
        foreach (var bytes in files.Files())
            await harness.Intake.PushAsync(bytes, harness.TrialId, harness.SiteId, "NORDSTADT_CT@127.0.0.1");
        Guid studyId;
        await using (var early = harness.Db())
            studyId = (await early.Studies.SingleAsync()).Id;

        var first = await harness.Qc.RunQcAsync(studyId); // e.g. a workflow step, while the study is still receiving
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await harness.Completion.CompleteStableStudiesAsync(CancellationToken.None);
        await harness.DispatchEventsAsync();

        await using var db = harness.Db();
        Assert.Equal(first.Id, (await db.QcResults.SingleAsync()).Id);
        Assert.Equal(StudyStatus.QcFailed, (await db.Studies.SingleAsync()).Status);
    }

    [Fact]
    public async Task A_ruleset_that_does_not_compile_is_not_published_and_the_active_version_stays()
    {
        await using var harness = await QcHarness.CreateAsync();
        await using var db = harness.Db();
        var (active, _) = await harness.Rulesets.ActiveAsync(db, CancellationToken.None);

        var broken = active.Content.Replace("s.SliceThickness, op: outside", "s.SliceThicknes, op: outside");
        var e = await Assert.ThrowsAsync<RulesetException>(() => harness.Rulesets.PublishAsync(db, broken, "typo", CancellationToken.None));

        var error = Assert.Single(e.Errors);
        Assert.Equal("QC-SLICE-THICKNESS", error.RuleId);
        Assert.Equal(broken.Split('\n').ToList().FindIndex(l => l.Contains("s.SliceThicknes,")) + 1, error.Line);
        Assert.Equal(active.Id, (await harness.Rulesets.ActiveAsync(db, CancellationToken.None)).Version.Id);
    }

    [Fact]
    public async Task A_dry_run_shows_which_rules_would_fire_and_saves_nothing()
    {
        await using var harness = await QcHarness.CreateAsync();
        await harness.ReceiveAsync(new CtStudy("1.2.826.0.1.3680043.2.504") { SliceThickness = 3 });
        await using var db = harness.Db();
        var study = await db.Studies.SingleAsync();
        var (active, _) = await harness.Rulesets.ActiveAsync(db, CancellationToken.None);

        // The protocol holds the thresholds; a QC lead can still tighten one in the rule itself.
        var stricter = active.Content.Replace("{ field: s.SliceThickness, op: outside, min: p.SliceThicknessMin, max: p.SliceThicknessMax }",
            "{ field: s.SliceThickness, op: outside, min: p.SliceThicknessMin, max: 2.5 }");
        var before = await harness.Qc.DryRunAsync(study.Id, active.Content, Actor.System("tests"));
        var after = await harness.Qc.DryRunAsync(study.Id, stricter, Actor.System("tests"));

        Assert.Empty(before.Findings);
        Assert.Equal(["QC-SLICE-THICKNESS"], after.Findings.Select(f => f.RuleId));
        Assert.Equal(0, await db.QcResults.CountAsync());
        Assert.Equal(StudyStatus.Complete, (await db.Studies.SingleAsync()).Status);
    }
}
