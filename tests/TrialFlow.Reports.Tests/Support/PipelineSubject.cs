using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Qc;
using TrialFlow.Testing;

namespace TrialFlow.Reports.Tests.Support;

/// <summary>
/// One subject with a full history, made once for the tests that only read it: a protocol-compliant baseline CT study
/// and a week-6 study with 7.5 mm slices (a protocol deviation) through intake and the qc-gate workflow (started on
/// completion; its RunQc step runs QC); then a new ruleset
/// version and a QC re-run of the baseline study, which gives it a second result.
/// </summary>
public sealed class PipelineSubject : IAsyncLifetime
{
    internal DossierHarness Harness { get; private set; } = null!;

    public Guid BaselineStudy { get; private set; }

    public Guid WeekSixStudy { get; private set; }

    /// <summary>The cut-off after everything above happened.</summary>
    public DateTime CutOff { get; private set; }

    public async Task InitializeAsync()
    {
        Harness = await DossierHarness.CreateAsync();
        BaselineStudy = await Harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.1001", StudyDate: "20260302"));
        Harness.Clock.Advance(TimeSpan.FromDays(1));
        WeekSixStudy = await Harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.1002", StudyDate: "20260416") { SliceThickness = 7.5 });
        await Harness.RunWorkflowsAsync(BaselineStudy, WeekSixStudy); // qc-gate's RunQc runs QC on both
        await Harness.RerunQcWithNewRulesetAsync(BaselineStudy, "ruleset v2 published; inspection asked for results under it");
        Harness.Clock.Advance(TimeSpan.FromMinutes(1));
        CutOff = Harness.Clock.GetUtcNow().UtcDateTime;
        Harness.Clock.Advance(TimeSpan.FromSeconds(1));
    }

    internal async Task<(ImagingStudy Study, List<QcResult> Results)> LoadAsync(Guid studyId)
    {
        await using var db = Harness.Db();
        var study = await db.Studies.AsNoTracking().Include(s => s.Series).SingleAsync(s => s.Id == studyId);
        var results = await db.QcResults.AsNoTracking().Include(r => r.Findings).Where(r => r.StudyId == studyId).OrderBy(r => r.RanAt).ToListAsync();
        return (study, results);
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}
