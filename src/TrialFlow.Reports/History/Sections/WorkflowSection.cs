using Microsoft.EntityFrameworkCore;
using TrialFlow.Workflows.Persistence;

namespace TrialFlow.Reports.History.Sections;

/// <summary>
/// The path each study's workflow took, from its journal: every activity run with its outcome and times, up to the
/// cut-off. Read from the workflow tables directly (not through the engine), so the dossier needs no running engine.
/// </summary>
internal sealed class WorkflowSection(WorkflowStore store) : IHistorySection
{
    public int Order => 400;

    public async Task<HistorySection> BuildAsync(SubjectRecords records, CancellationToken cancellationToken)
    {
        await using var db = store.Context();
        var blocks = new List<HistoryBlock>();
        var cutOff = records.CutOff;
        foreach (var study in ImagingSection.OrderedStudies(records))
        {
            var instances = await db.Instances.AsNoTracking().Where(i => i.StudyId == study.Id && i.CreateTime <= cutOff)
                .OrderBy(i => i.CreateTime).ThenBy(i => i.Id).ToListAsync(cancellationToken);
            if (instances.Count == 0)
                continue;
            records.Cover(instances.Select(i => i.Id));
            var ids = instances.Select(i => i.Id).ToList();
            var journal = await db.Journal.AsNoTracking().Where(j => ids.Contains(j.InstanceId) && j.StartedAt <= cutOff)
                .OrderBy(j => j.Id).ToListAsync(cancellationToken);
            var incidents = await db.Incidents.AsNoTracking().Where(j => ids.Contains(j.InstanceId) && j.OccurredAt <= cutOff)
                .OrderBy(j => j.Id).ToListAsync(cancellationToken);

            blocks.Add(new HistoryHeading($"{SubjectSection.VisitLabel(records, study)} · study {study.StudyInstanceUid}"));
            foreach (var instance in instances)
            {
                var completed = instance.CompleteTime is { } c && c <= cutOff;
                blocks.Add(new HistoryFacts(
                [
                    new("Workflow", $"{instance.DefinitionId} version {instance.Version}", $"/workflows/instances/{instance.Id}"),
                    new("Started", HistoryFormat.Time(instance.CreateTime)),
                    new("Ended", completed ? HistoryFormat.Time(instance.CompleteTime) : "still running at the cut-off"),
                    new("Instance id", instance.Id, $"/workflows/instances/{instance.Id}", Code: true),
                ]));
                blocks.Add(new HistoryTable(
                    [new("#", 0.35), new("Activity", 1.5, Code: true), new("Type", 1.5), new("Result", 1.1), new("Started", 1.7), new("Ended", 1.7), new("Message", 2)],
                    journal.Where(j => j.InstanceId == instance.Id).Select((j, n) => (IReadOnlyList<string>)
                    [
                        (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        j.ActivityId,
                        j.ActivityType,
                        j.Kind == JournalEntryKind.Completed ? j.Outcome ?? "done" : j.Kind.ToString().ToLowerInvariant(),
                        HistoryFormat.Time(j.StartedAt),
                        HistoryFormat.Time(j.EndedAt),
                        j.Message ?? "",
                    ]).ToList(), "No step has run yet."));
                foreach (var incident in incidents.Where(i => i.InstanceId == instance.Id))
                    blocks.Add(new HistoryNote($"Incident at {incident.ActivityId} ({incident.ActivityType}) after {incident.Attempts} attempts, {HistoryFormat.Time(incident.OccurredAt)}: {incident.Message}"
                        + (incident.ResolvedAt is { } r && r <= cutOff ? $"; resolved {HistoryFormat.Time(r)}" : "; unresolved at the cut-off"), HistoryTone.Problem));
            }
        }
        if (blocks.Count == 0)
            blocks.Add(new HistoryNote("No workflow ran for this subject's studies up to the cut-off."));
        return new HistorySection("workflow", "Workflow path", blocks);
    }
}
