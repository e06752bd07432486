using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Review.Domain;

namespace TrialFlow.Reports.History.Sections;

/// <summary>
/// Central review per study, unblinded for inspection: each reader's task, every version of their read (a correction
/// keeps the signed version it replaces), the electronic signatures with their meaning, and the adjudication with the
/// accepted read. Only what existed at the cut-off: later versions, signatures and decisions are left out.
/// </summary>
internal sealed class ReviewSection : IHistorySection
{
    public int Order => 600;

    public async Task<HistorySection> BuildAsync(SubjectRecords records, CancellationToken cancellationToken)
    {
        var studyIds = records.Studies.Select(s => s.Id).ToList();
        var cutOff = records.CutOff;
        var db = records.Db;
        var tasks = await db.ReadTasks.AsNoTracking().Where(t => studyIds.Contains(t.StudyId) && t.AssignedAt <= cutOff).ToListAsync(cancellationToken);
        var taskIds = tasks.Select(t => t.Id).ToList();
        var reads = await db.Reads.AsNoTracking().Where(r => taskIds.Contains(r.ReadTaskId) && r.CreatedAt <= cutOff).ToListAsync(cancellationToken);
        var adjudications = await db.Adjudications.AsNoTracking().Where(a => studyIds.Contains(a.StudyId) && a.OpenedAt <= cutOff).ToListAsync(cancellationToken);
        var readIds = reads.Select(r => r.Id).ToList();
        var adjudicationIds = adjudications.Select(a => a.Id).ToList();
        var signatures = (await db.ElectronicSignatures.AsNoTracking()
            .Where(s => (readIds.Contains(s.RecordId) || adjudicationIds.Contains(s.RecordId)) && s.SignedAt <= cutOff).ToListAsync(cancellationToken))
            .ToDictionary(s => s.RecordId);
        records.Cover([.. tasks.Select(t => t.Id), .. readIds, .. adjudicationIds, .. signatures.Values.Select(s => s.Id)]);

        var blocks = new List<HistoryBlock>();
        foreach (var study in ImagingSection.OrderedStudies(records).Where(s => tasks.Any(t => t.StudyId == s.Id)))
        {
            blocks.Add(new HistoryHeading($"{SubjectSection.VisitLabel(records, study)} · study {study.StudyInstanceUid}"));
            foreach (var task in tasks.Where(t => t.StudyId == study.Id).OrderBy(t => t.Slot).ThenBy(t => t.AssignedAt))
            {
                var versions = reads.Where(r => r.ReadTaskId == task.Id).OrderBy(r => r.Version).ToList();
                blocks.Add(new HistoryHeading($"Radiologist {task.Slot} ({task.Timepoint}): {versions.Count} version(s)", 3));
                blocks.Add(new HistoryTable(
                    [new("Version", 0.9), new("State", 1.1), new("Overall response", 1.2), new("Sum (mm)", 0.9), new("Signature", 3.4), new("Correction reason", 1.9)],
                    versions.Select(r => (IReadOnlyList<string>)[
                        r.Version.ToString(CultureInfo.InvariantCulture),
                        (signatures.ContainsKey(r.Id) ? "signed" : r.Status == ReadStatus.Superseded ? "superseded" : "draft") + (r.IsAccepted && (adjudications.All(a => a.StudyId != task.StudyId) || Decided(adjudications, r.Id, cutOff)) ? ", accepted" : ""),
                        r.OverallResponse ?? "—",
                        r.SumOfDiametersMm?.ToString("0.0", CultureInfo.InvariantCulture) ?? "—",
                        signatures.TryGetValue(r.Id, out var s) ? $"{s.SignerName}, {HistoryFormat.Time(s.SignedAt)}: \u201c{s.Meaning}\u201d" : "—",
                        r.CorrectionReason ?? "—"]).ToList(),
                    "No read started up to the cut-off."));
            }
            foreach (var adjudication in adjudications.Where(a => a.StudyId == study.Id).OrderBy(a => a.OpenedAt))
            {
                var decided = adjudication.DecidedAt is { } at && at <= cutOff;
                var accepted = decided ? tasks.FirstOrDefault(t => reads.Any(r => r.Id == adjudication.AcceptedReadId && r.ReadTaskId == t.Id)) : null;
                blocks.Add(new HistoryHeading("Adjudication", 3));
                blocks.Add(new HistoryFacts(
                [
                    new("Opened", HistoryFormat.Time(adjudication.OpenedAt)),
                    new("Differences", adjudication.Differences),
                    new("Decision", decided ? $"accepted the read of radiologist {accepted?.Slot.ToString(CultureInfo.InvariantCulture) ?? "?"} on {HistoryFormat.Time(adjudication.DecidedAt)}" : "pending at the cut-off"),
                    new("Rationale", decided ? adjudication.Rationale ?? "—" : "—"),
                    new("Signature", signatures.TryGetValue(adjudication.Id, out var s) ? $"{s.SignerName}: \u201c{s.Meaning}\u201d" : "—"),
                ]));
            }
        }
        if (blocks.Count == 0)
            blocks.Add(new HistoryNote("No study of this subject was assigned for central review up to the cut-off."));
        return new HistorySection("review", "Central review", blocks);
    }

    /// <summary>Where an adjudication was opened, a read counts as accepted only once it was decided by the cut-off.</summary>
    private static bool Decided(IEnumerable<Adjudication> adjudications, Guid readId, DateTime cutOff) =>
        adjudications.Any(a => a.AcceptedReadId == readId && a.DecidedAt <= cutOff);
}
