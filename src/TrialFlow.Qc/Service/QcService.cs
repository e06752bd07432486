using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Access;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Qc.Domain;
using TrialFlow.Qc.Events;
using TrialFlow.Dicom;
using TrialFlow.Qc.Evaluation;
using TrialFlow.Qc.Facts;
using TrialFlow.Qc.Protocols;
using TrialFlow.Qc.Rules;

namespace TrialFlow.Qc.Service;

/// <summary>
/// Runs QC on a study: gathers its records and archived headers, evaluates the active ruleset with the trial's
/// protocol, and saves the result, its findings, the study's new status and an audit event in one transaction.
/// Idempotent: a study has one result per ruleset version, protocol version and set of archived images; asking again
/// returns it. Images received into the study later (a rescan answering a query) make QC evaluate again.
/// </summary>
public sealed class QcService(DatabaseOptions database, QcRulesetStore rulesets, ProtocolCatalog protocols, ArchivedImages archive, TimeProvider time, ILogger<QcService> logger)
{
    public static readonly Actor QcActor = Actor.System("qc");

    public const string NoProtocol = "(no protocol)";

    /// <summary>Runs QC as the system (intake completion, a workflow step); returns the existing result if there is one.</summary>
    public Task<QcResult> RunQcAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        RunAsync(studyId, QcActor, "intake", null, cancellationToken);

    /// <summary>
    /// Runs QC for a workflow step: like <see cref="RunQcAsync"/>, with the step named as the reason of the result's
    /// audit events so the trail shows which workflow gated the study.
    /// </summary>
    public Task<QcResult> RunForWorkflowAsync(Guid studyId, string reason, CancellationToken cancellationToken = default) =>
        RunAsync(studyId, QcActor, "workflow", reason, cancellationToken);

    /// <summary>
    /// Runs QC again on a person's request, typically after a new ruleset version: audited with their reason. With the
    /// ruleset and protocol unchanged since the last run, the existing result stands and nothing is saved.
    /// </summary>
    public Task<QcResult> RerunAsync(Guid studyId, Actor actor, string reason, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(reason)
            ? throw new ArgumentException("Re-running QC needs a reason.", nameof(reason))
            : RunAsync(studyId, actor, "rerun", reason, cancellationToken);

    /// <summary>
    /// Evaluates a draft ruleset against a study without saving anything (the editor's dry run). Bounded like a run:
    /// <see cref="QcTimeLimitException"/> past <see cref="QcOptions.EvaluationTimeLimit"/>, <see cref="QcEvaluationException"/>
    /// when a condition fails or runs over its own limits.
    /// </summary>
    public async Task<QcEvaluation> DryRunAsync(Guid studyId, string draft, Actor actor, CancellationToken cancellationToken = default)
    {
        var compiled = rulesets.Validate(draft);
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, actor, time);
        var study = await LoadStudyAsync(db, studyId, cancellationToken);
        var (records, protocol) = await GatherAsync(db, study, cancellationToken);
        return QcEvaluator.Evaluate(compiled, StudyFactsBuilder.Build(records, protocol), rulesets.EvaluationTimeLimit, cancellationToken);
    }

    /// <summary>Whether the study completed intake and QC has not settled its status yet.</summary>
    public async Task<bool> IsAwaitingQcAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, QcActor, time);
        return await db.Studies.AnyAsync(s => s.Id == studyId && s.Status == StudyStatus.Complete, cancellationToken);
    }

    private async Task<QcResult> RunAsync(Guid studyId, Actor actor, string trigger, string? reason, CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, actor, time);
        var (version, compiled) = await rulesets.ActiveAsync(db, cancellationToken);
        var study = await LoadStudyAsync(db, studyId, cancellationToken);
        var (records, protocol) = await GatherAsync(db, study, cancellationToken);
        var protocolSha = protocol?.Sha256 ?? "";
        var imagesSha = ImagesSha256(study);
        if (await ExistingAsync(db, studyId, version.Id, protocolSha, imagesSha, cancellationToken) is { } existing)
        {
            // QC ran before the study completed (a workflow step, an API call): completion still moves its status.
            if (study.Status == StudyStatus.Complete)
            {
                study.RecordQcOutcome(passed: existing.Outcome != QcOutcome.Failed);
                db.Publish(new QcSettled(study.Id, study.TrialId, study.SiteId, existing.Id, existing.Outcome != QcOutcome.Failed));
                await db.SaveChangesAsync(cancellationToken);
            }
            return existing;
        }

        var evaluation = QcEvaluator.Evaluate(compiled, StudyFactsBuilder.Build(records, protocol), rulesets.EvaluationTimeLimit, cancellationToken);
        var result = new QcResult(study.Id, study.SiteId, version, protocol?.Name ?? NoProtocol, protocolSha, imagesSha, time.GetUtcNow().UtcDateTime, trigger);
        foreach (var finding in evaluation.Findings)
            result.AddFinding(finding.RuleId, finding.Severity, finding.Message, finding.SeriesInstanceUid);
        db.QcResults.Add(result);
        // Later stages (review, reads) own the status once they started; QC moves only studies it gates.
        if (study.Status is StudyStatus.Complete or StudyStatus.QcPassed or StudyStatus.QcFailed)
        {
            study.RecordQcOutcome(passed: result.Outcome != QcOutcome.Failed);
            db.Publish(new QcSettled(study.Id, study.TrialId, study.SiteId, result.Id, result.Outcome != QcOutcome.Failed));
        }
        db.RecordEvent("QcRun", nameof(ImagingStudy), study.Id.ToString(), study.SiteId, JsonSerializer.Serialize(new
        {
            result = result.Id,
            trigger,
            reason,
            outcome = result.Outcome.ToString(),
            ruleset = $"{version.RulesetName} v{version.Number}",
            rulesetSha256 = version.ContentSha256,
            protocol = result.ProtocolName,
            protocolSha256 = protocolSha,
            imagesSha256 = imagesSha,
            findings = evaluation.Findings.Select(f => f.RuleId),
        }));
        try
        {
            if (reason is null)
                await db.SaveChangesAsync(cancellationToken);
            else
                await db.SaveChangesAsync(reason, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another worker saved the same result first (unique study, ruleset version, protocol): theirs stands.
            if (await ExistingAsync(db, studyId, version.Id, protocolSha, imagesSha, cancellationToken, fresh: true) is { } raced)
                return raced;
            throw;
        }
        logger.LogInformation("QC {Outcome} for study {Study} with {Ruleset} v{Version}: {Findings} finding(s)",
            result.Outcome, study.StudyInstanceUid, version.RulesetName, version.Number, result.Findings.Count);
        return result;
    }

    private static async Task<QcResult?> ExistingAsync(TrialFlowDbContext db, Guid studyId, Guid versionId, string protocolSha, string imagesSha, CancellationToken cancellationToken, bool fresh = false)
    {
        if (fresh)
            db.ChangeTracker.Clear();
        return await db.QcResults.Include(r => r.Findings).AsNoTracking()
            .SingleOrDefaultAsync(r => r.StudyId == studyId && r.RulesetVersionId == versionId && r.ProtocolSha256 == protocolSha && r.ImagesSha256 == imagesSha, cancellationToken);
    }

    /// <summary>The identity of the images QC reads: SHA-256 over their archive hashes, sorted.</summary>
    internal static string ImagesSha256(ImagingStudy study)
    {
        var hashes = study.Series.SelectMany(s => s.Instances).Where(i => i.Status == InstanceStatus.Archived).Select(i => i.ArchiveSha256).Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join('\n', hashes))));
    }

    private static async Task<ImagingStudy> LoadStudyAsync(TrialFlowDbContext db, Guid studyId, CancellationToken cancellationToken) =>
        await db.Studies.Include(s => s.Series).ThenInclude(s => s.Instances).AsSplitQuery().SingleOrDefaultAsync(s => s.Id == studyId, cancellationToken)
        ?? throw new QcStudyNotFoundException(studyId);

    private async Task<(StudyRecords Records, ProtocolRequirements? Protocol)> GatherAsync(TrialFlowDbContext db, ImagingStudy study, CancellationToken cancellationToken)
    {
        var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == study.TrialId, cancellationToken);
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == study.SiteId, cancellationToken);
        var visit = study.VisitId is { } visitId
            ? await db.Visits.AsNoTracking().Where(v => v.Id == visitId).Join(db.VisitDefinitions, v => v.VisitDefinitionId, d => d.Id, (_, d) => d).SingleOrDefaultAsync(cancellationToken)
            : null;
        var headers = new Dictionary<string, IReadOnlyList<DicomDataset>>(StringComparer.Ordinal);
        foreach (var series in study.Series)
        {
            var list = new List<DicomDataset>();
            foreach (var instance in series.Instances.Where(i => i.Status == InstanceStatus.Archived).OrderBy(i => i.InstanceNumber))
                list.Add(await archive.ReadHeaderAsync(instance.ArchiveSha256, cancellationToken));
            headers[series.SeriesInstanceUid] = list;
        }
        var scanners = await QualifiedScannersAsync(db, site.Id, cancellationToken);
        return (new StudyRecords(study, site, visit, headers, scanners), protocols.For(trial));
    }

    /// <summary>The "Manufacturer Model" labels of the scanners qualified at a site (QC-SCANNER's list).</summary>
    internal static async Task<IReadOnlyList<string>> QualifiedScannersAsync(TrialFlowDbContext db, Guid siteId, CancellationToken cancellationToken)
    {
        var scanners = await db.QualifiedScanners.AsNoTracking().Where(q => q.SiteId == siteId).Select(q => new { q.Manufacturer, q.Model }).ToListAsync(cancellationToken);
        return scanners.Select(q => $"{q.Manufacturer} {q.Model}").Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
    }
}

/// <summary>No study with that id is visible to the caller.</summary>
public sealed class QcStudyNotFoundException(Guid studyId) : QcException($"Study {studyId} does not exist or is outside your sites.")
{
    public Guid StudyId { get; } = studyId;
}
