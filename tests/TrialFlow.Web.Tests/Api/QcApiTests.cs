using TrialFlow.Qc.Domain;
using TrialFlow.Qc.Service;

namespace TrialFlow.Web.Tests.Api;

/// <summary>QC leads own the ruleset: validate, dry run and publish; everyone who reads the trial sees versions and diffs.</summary>
[Collection(AppCollection.Name)]
public sealed class QcApiTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_broken_draft_is_answered_with_line_and_rule_and_is_not_published()
    {
        using var lead = await app.ClientAsync("t-qclead");
        var active = (await lead.GetFromJsonAsync<VersionDto>("/api/qc/ruleset"))!;
        var broken = active.Content!.Replace("{ field: s.Kvp, op: outside", "{ field: s.Kv, op: outside");

        var validation = (await lead.PostAsJsonAsync("/api/qc/ruleset/validate", new { content = broken })).Content.ReadFromJsonAsync<ValidationDto>();
        var publish = await lead.PostAsJsonAsync("/api/qc/ruleset", new { content = broken, reason = "typo" });

        var error = Assert.Single((await validation)!.Errors);
        Assert.Equal(("QC-KVP", LineOf(broken, "s.Kv, op: outside")), (error.RuleId, error.Line));
        Assert.Contains("unknown field 'Kv' of Series", error.Reason);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, publish.StatusCode);
        Assert.Equal(active.Number, (await lead.GetFromJsonAsync<VersionDto>("/api/qc/ruleset"))!.Number);
    }

    [Theory]
    [InlineData("t-studymanager")]
    [InlineData("t-reader")]
    [InlineData("t-siteuser")]
    public async Task Only_qc_leads_and_administrators_publish_rulesets(string user)
    {
        using var client = await app.ClientAsync(user);
        var response = await client.PostAsJsonAsync("/api/qc/ruleset", new { content = "ruleset: trial-default\nrules: []", reason = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Publishing_adds_a_version_with_who_and_why_and_the_diff_shows_the_change()
    {
        using var lead = await app.ClientAsync("t-qclead");
        var active = (await lead.GetFromJsonAsync<VersionDto>("/api/qc/ruleset"))!;
        var changed = active.Content!.Contains("severity: info") ? active.Content.Replace("severity: info", "severity: minor") : active.Content.Replace("severity: minor", "severity: info");

        var created = await lead.PostAsJsonAsync("/api/qc/ruleset", new { content = changed, reason = "Body part findings matter for coverage" });
        var again = await lead.PostAsJsonAsync("/api/qc/ruleset", new { content = changed, reason = "same again" });
        using var manager = await app.ClientAsync("t-studymanager");
        var versions = (await manager.GetFromJsonAsync<List<VersionDto>>("/api/qc/ruleset/versions"))!;
        var diff = (await manager.GetFromJsonAsync<List<DiffDto>>($"/api/qc/ruleset/versions/{active.Number}/diff/{active.Number + 1}"))!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal((active.Number + 1, "Test QcLead", "Body part findings matter for coverage"), (versions[0].Number, versions[0].PublishedBy, versions[0].Reason));
        Assert.Contains(diff, d => d.Kind == "Removed" && active.Content.Split('\n')[d.OldLine!.Value - 1] == d.Text);
        Assert.Contains(diff, d => d.Kind == "Added" && changed.Split('\n')[d.NewLine!.Value - 1] == d.Text);
        Assert.Equal(diff.Count(d => d.Kind == "Added"), diff.Count(d => d.Kind == "Removed"));
    }

    [Fact]
    public async Task A_dry_run_on_an_archived_study_lists_the_rules_that_fire_and_saves_nothing()
    {
        var receipt = await ArchiveOneCtImageAsync();
        using var lead = await app.ClientAsync("t-qclead");
        var active = (await lead.GetFromJsonAsync<VersionDto>("/api/qc/ruleset"))!;

        var response = await lead.PostAsJsonAsync("/api/qc/ruleset/dry-run", new { content = active.Content, studyId = receipt.StudyId });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dryRun = (await response.Content.ReadFromJsonAsync<DryRunDto>())!;
        // The sample is an 8×8 CT without contrast, KVP, pixel spacing or positions: the demo protocol fails it.
        Assert.Equal("Failed", dryRun.Outcome);
        Assert.Contains(dryRun.Findings, f => f.RuleId == "QC-MATRIX");
        Assert.Contains(dryRun.Findings, f => f.RuleId == "QC-CONTRAST-MISSING");
        Assert.Contains(dryRun.Findings, f => f.RuleId == "QC-MISSING-ATTRIBUTE" && f.Message.Contains("KVP"));
        Assert.False(await app.QueryAsync(db => db.QcResults.AnyAsync(r => r.StudyId == receipt.StudyId && r.Trigger != "intake")));
    }

    [Fact]
    public async Task A_dry_run_of_a_runaway_condition_answers_422_with_the_rule_instead_of_hanging()
    {
        var receipt = await ArchiveOneCtImageAsync();
        using var lead = await app.ClientAsync("t-qclead");
        var active = (await lead.GetFromJsonAsync<VersionDto>("/api/qc/ruleset"))!;
        var looping = active.Content!.TrimEnd() + """


              - id: QC-LOOP
                description: never ends
                severity: info
                match:
                  - fact: Series
                    as: s
                    where:
                      - { expr: "(function(){ while(true){} })()" }
                message: looped
            """;

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await lead.PostAsJsonAsync("/api/qc/ruleset/dry-run", new { content = looping, studyId = receipt.StudyId });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("rule QC-LOOP", await response.Content.ReadAsStringAsync());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Results_per_study_and_site_patterns_show_qc_outcomes_and_only_qc_leads_rerun()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        using (var site = await app.ClientAsync("t-siteuser"))
        {
            using var body = new MultipartContent("related", "B-" + Guid.NewGuid().ToString("N"));
            body.Add(new ByteArrayContent(DicomSamples.CtImage(study: $"1.2.826.0.1.3680043.8.{Random.Shared.Next(1, int.MaxValue)}"))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") },
            });
            (await site.PostAsync("/dicomweb/studies", body)).EnsureSuccessStatusCode();
        }
        var studyId = (await app.WaitForReceiptsAsync(r => r.Outcome == IntakeOutcome.Archived && r.Channel == IntakeChannel.StowRs && r.ReceivedAt >= before))[0].StudyId!.Value;
        // What the intake worker does once the study is stable, without waiting for it.
        var result = await app.Services.GetRequiredService<QcService>().RunQcAsync(studyId);

        using var manager = await app.ClientAsync("t-studymanager");
        var results = (await manager.GetFromJsonAsync<List<ResultDto>>($"/api/qc/studies/{studyId}/results"))!;
        var patterns = (await manager.GetFromJsonAsync<PatternsDto>("/api/qc/patterns"))!;
        using var siteUser = await app.ClientAsync("t-siteuser");
        var forbidden = await siteUser.PostAsJsonAsync($"/api/qc/studies/{studyId}/rerun", new { reason = "x" });
        using var lead = await app.ClientAsync("t-qclead");
        var rerun = await lead.PostAsJsonAsync($"/api/qc/studies/{studyId}/rerun", new { reason = "checking the same version again" });

        var shown = Assert.Single(results);
        Assert.Equal((result.Id, "Failed", "tf-onc-301-imaging-v2"), (shown.Id, shown.Outcome, shown.Protocol));
        Assert.Contains(shown.Findings, f => f.RuleId == "QC-MATRIX");
        var site101 = patterns.Sites.Single(s => s.SiteNumber == "101");
        Assert.True(site101.Studies >= 1 && site101.Failed >= 1, $"{site101.Studies} studies, {site101.Failed} failed");
        Assert.True(site101.FindingsByRule["QC-MATRIX"] >= 1);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        // Same ruleset and protocol: the existing result stands.
        Assert.Equal(result.Id, (await rerun.Content.ReadFromJsonAsync<ResultDto>())!.Id);
    }

    private static int LineOf(string text, string fragment) => text.Split('\n').ToList().FindIndex(l => l.Contains(fragment)) + 1;

    /// <summary>A site user sends one CT image by STOW-RS; returns intake's receipt once it is archived.</summary>
    private async Task<IntakeReceipt> ArchiveOneCtImageAsync()
    {
        var studyUid = $"1.2.826.0.1.3680043.6.{Random.Shared.Next(1, int.MaxValue)}";
        var before = DateTime.UtcNow.AddSeconds(-1);
        using (var site = await app.ClientAsync("t-siteuser"))
        {
            using var body = new MultipartContent("related", "B-" + Guid.NewGuid().ToString("N"));
            body.Add(new ByteArrayContent(DicomSamples.CtImage(study: studyUid)) { Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") } });
            (await site.PostAsync("/dicomweb/studies", body)).EnsureSuccessStatusCode();
        }
        return (await app.WaitForReceiptsAsync(r => r.Outcome == IntakeOutcome.Archived && r.Channel == IntakeChannel.StowRs && r.ReceivedAt >= before))[0];
    }

    private sealed record VersionDto(int Number, string PublishedBy, string Reason, string? Content);

    private sealed record ErrorDto(string File, int Line, string? RuleId, string Reason);

    private sealed record ValidationDto(bool Valid, int Rules, List<ErrorDto> Errors);

    private sealed record DiffDto(string Kind, int? OldLine, int? NewLine, string Text);

    private sealed record FindingDto(string RuleId, string Severity, string Message);

    private sealed record DryRunDto(string Outcome, List<FindingDto> Findings);

    private sealed record ResultDto(Guid Id, string Outcome, string Protocol, List<FindingDto> Findings);

    private sealed record SitePatternDto(string SiteNumber, int Studies, int Failed, Dictionary<string, int> FindingsByRule);

    private sealed record PatternsDto(List<SitePatternDto> Sites);
}
