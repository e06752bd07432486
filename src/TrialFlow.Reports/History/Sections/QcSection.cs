using Microsoft.EntityFrameworkCore;
using TrialFlow.Qc.Domain;

namespace TrialFlow.Reports.History.Sections;

/// <summary>
/// Every QC result of every study with its findings and the ruleset and protocol versions it used. A study run again
/// (new ruleset version, explicit re-run) keeps its earlier results: all are shown, the latest marked current.
/// </summary>
internal sealed class QcSection : IHistorySection
{
    public int Order => 300;

    public async Task<HistorySection> BuildAsync(SubjectRecords records, CancellationToken cancellationToken)
    {
        var studyIds = records.Studies.Select(s => s.Id).ToList();
        var cutOff = records.CutOff;
        var results = await records.Db.QcResults.AsNoTracking().Include(r => r.Findings)
            .Where(r => studyIds.Contains(r.StudyId) && r.RanAt <= cutOff).ToListAsync(cancellationToken);
        records.Cover(results.Select(r => r.Id).ToArray());
        records.Cover(results.SelectMany(r => r.Findings).Select(f => f.Id).ToArray());

        var blocks = new List<HistoryBlock>();
        foreach (var study in ImagingSection.OrderedStudies(records))
        {
            var runs = Ordered(results.Where(r => r.StudyId == study.Id)).ToList();
            blocks.Add(new HistoryHeading($"{SubjectSection.VisitLabel(records, study)} · study {study.StudyInstanceUid}"));
            if (runs.Count == 0)
            {
                blocks.Add(new HistoryNote("QC has not run on this study up to the cut-off."));
                continue;
            }
            for (var i = 0; i < runs.Count; i++)
            {
                var result = runs[i];
                var current = i == runs.Count - 1;
                blocks.Add(new HistoryHeading($"QC result {i + 1} of {runs.Count}: {Outcome(result.Outcome)}{(current ? " (current)" : " (superseded)")}", 3));
                if (!current)
                    blocks.Add(new HistoryNote($"Superseded by result {runs.Count} of {HistoryFormat.Time(runs[^1].RanAt)}; kept as it was.", HistoryTone.Warning));
                blocks.Add(new HistoryFacts(
                [
                    new("Outcome", Outcome(result.Outcome)),
                    new("Ran", $"{HistoryFormat.Time(result.RanAt)} (trigger: {result.Trigger})"),
                    new("Ruleset", $"{result.RulesetName} version {result.RulesetNumber}", "/qc/ruleset"),
                    new("Ruleset SHA-256", result.RulesetSha256, Code: true),
                    new("Protocol", result.ProtocolName),
                    new("Protocol SHA-256", result.ProtocolSha256.Length == 0 ? "—" : result.ProtocolSha256, Code: true),
                    new("Result id", result.Id.ToString(), "/qc", Code: true),
                ]));
                blocks.Add(new HistoryTable(
                    [new("Severity", 0.8), new("Rule", 2.1, Code: true), new("Series", 2.7, Code: true), new("Finding", 3.8)],
                    result.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal)
                        .ThenBy(f => f.SeriesInstanceUid, StringComparer.Ordinal).ThenBy(f => f.Message, StringComparer.Ordinal)
                        .Select(f => (IReadOnlyList<string>)[f.Severity.ToString(), f.RuleId, f.SeriesInstanceUid ?? "study", f.Message]).ToList(),
                    "No findings."));
            }
        }
        if (blocks.Count == 0)
            blocks.Add(new HistoryNote("No study was received for this subject up to the cut-off."));
        return new HistorySection("qc", "Quality control", blocks);
    }

    internal static IEnumerable<QcResult> Ordered(IEnumerable<QcResult> results) =>
        results.OrderBy(r => r.RanAt).ThenBy(r => r.RulesetNumber).ThenBy(r => r.Id);

    private static string Outcome(QcOutcome outcome) => outcome switch
    {
        QcOutcome.Passed => "passed",
        QcOutcome.PassedWithFindings => "passed with findings",
        QcOutcome.Failed => "failed",
        _ => outcome.ToString(),
    };
}
