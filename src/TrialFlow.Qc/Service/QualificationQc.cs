using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Dicom;
using TrialFlow.Qc.Domain;
using TrialFlow.Qc.Evaluation;
using TrialFlow.Qc.Facts;
using TrialFlow.Qc.Protocols;
using TrialFlow.Qc.Rules;

namespace TrialFlow.Qc.Service;

/// <summary>One archived image of a qualification scan, as QC needs it.</summary>
public sealed record QualificationImageRef(string SeriesInstanceUid, int? SeriesNumber, string? SeriesDescription, string Modality,
    string SopInstanceUid, string SopClassUid, int? InstanceNumber, string ArchiveSha256);

/// <summary>QC's verdict on a qualification scan, with the ruleset and protocol version it was checked against.</summary>
public sealed record QualificationEvaluation(QcOutcome Outcome, IReadOnlyList<Finding> Findings, string Ruleset, string Protocol, string ProtocolSha256)
{
    /// <summary>Nothing major or critical: the scanner qualifies (minor and informational findings are kept as evidence).</summary>
    public bool Passed => Outcome != QcOutcome.Failed;
}

/// <summary>
/// Evaluates a scanner's qualification scan with the active QC ruleset against the trial's protocol for its modality
/// (<see cref="ProtocolRequirements.ForQualification"/>): the same rules and facts as a subject's study, without a visit
/// and without the patient-only requirements. Saves nothing; the activation module records the verdict.
/// </summary>
public sealed class QualificationQc(DatabaseOptions database, QcRulesetStore rulesets, ProtocolCatalog protocols, ArchivedImages archive, TimeProvider time)
{
    public async Task<QualificationEvaluation> EvaluateAsync(Guid siteId, string modality, string studyInstanceUid, IReadOnlyList<QualificationImageRef> images,
        CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, QcService.QcActor, time);
        var (version, compiled) = await rulesets.ActiveAsync(db, cancellationToken);
        var ruleset = $"{version.RulesetName} v{version.Number}";
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == siteId, cancellationToken);
        var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == site.TrialId, cancellationToken);
        if (protocols.For(trial) is not { } protocol)
            return Refused(ruleset, QcService.NoProtocol, "", "QUAL-PROTOCOL",
                $"trial {trial.ProtocolId} has no protocol requirements (templates/protocols/): there is nothing to qualify a scanner against");
        var checkedAgainst = protocol.ForQualification(modality);
        if (checkedAgainst.Requirements.Count == 0)
            return Refused(ruleset, protocol.Name, protocol.Sha256, "QUAL-MODALITY",
                $"protocol {protocol.Name} asks for no {modality} images, so a {modality} scanner is not qualified for this trial");
        if (images.Count == 0)
            return Refused(ruleset, protocol.Name, protocol.Sha256, "QUAL-EMPTY", "the qualification scan has no archived images");

        // The scan seen as a study (never saved), so the facts and rules are exactly those of a subject's study.
        var study = new ImagingStudy(trial.Id, site.Id, Guid.Empty, null, studyInstanceUid, time.GetUtcNow().UtcDateTime);
        var headers = new Dictionary<string, IReadOnlyList<DicomDataset>>(StringComparer.Ordinal);
        foreach (var group in images.GroupBy(i => i.SeriesInstanceUid, StringComparer.Ordinal))
        {
            var first = group.First();
            var series = study.AddSeries(group.Key, first.Modality, first.SeriesNumber, first.SeriesDescription);
            var list = new List<DicomDataset>();
            foreach (var image in group.OrderBy(i => i.InstanceNumber ?? int.MaxValue))
            {
                series.AddInstance(image.SopInstanceUid, image.SopClassUid, image.InstanceNumber, image.ArchiveSha256, 0, study.ReceivedAt);
                list.Add(await archive.ReadHeaderAsync(image.ArchiveSha256, cancellationToken));
            }
            headers[group.Key] = list;
        }
        study.Recount();
        var evaluation = QcEvaluator.Evaluate(compiled, StudyFactsBuilder.Build(new StudyRecords(study, site, null, headers, []), checkedAgainst),
            rulesets.EvaluationTimeLimit, cancellationToken);
        return new QualificationEvaluation(evaluation.Outcome, evaluation.Findings, ruleset, protocol.Name, protocol.Sha256);
    }

    private static QualificationEvaluation Refused(string ruleset, string protocol, string sha, string ruleId, string message) =>
        new(QcOutcome.Failed, [new Finding(ruleId, QcSeverity.Major, message, null)], ruleset, protocol, sha);
}
