using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Intake.Domain;
using TrialFlow.Deid.Engine;

namespace TrialFlow.Reports.History.Sections;

/// <summary>
/// Per visit, each study as it arrived: channel and sender, when received, what intake did with each object, the
/// de-identification record (profile, version, options) and the series archived.
/// </summary>
internal sealed class ImagingSection : IHistorySection
{
    public int Order => 200;

    public async Task<HistorySection> BuildAsync(SubjectRecords records, CancellationToken cancellationToken)
    {
        var studyIds = records.Studies.Select(s => (Guid?)s.Id).ToList();
        var cutOff = records.CutOff;
        var receipts = await records.Db.IntakeReceipts.AsNoTracking()
            .Where(r => studyIds.Contains(r.StudyId) && r.ProcessedAt <= cutOff)
            .OrderBy(r => r.ReceivedAt).ThenBy(r => r.StagingName).ToListAsync(cancellationToken);
        records.Cover(receipts.Select(r => r.Id).ToArray());
        var deidEvents = (await records.EventsAsync(cancellationToken)).Where(e => e.Action == "Deidentified").ToList();

        var blocks = new List<HistoryBlock>();
        if (records.Studies.Count == 0)
            blocks.Add(new HistoryNote("No study was received for this subject up to the cut-off."));
        foreach (var study in OrderedStudies(records))
        {
            var studyReceipts = receipts.Where(r => r.StudyId == study.Id).ToList();
            var instanceIds = study.Series.SelectMany(s => s.Instances).Select(i => i.Id.ToString()).ToHashSet(StringComparer.Ordinal);
            var deid = deidEvents.Where(e => instanceIds.Contains(e.EntityId)).Select(e => DeidRecord.FromJson(e.NewValues!)).ToList();
            var status = await records.AsOfCutOffAsync(study.Id.ToString(), nameof(study.Status), study.Status.ToString(), cancellationToken);

            blocks.Add(new HistoryHeading($"{SubjectSection.VisitLabel(records, study)} · study {study.StudyInstanceUid}"));
            blocks.Add(new HistoryFacts(
            [
                new("Study Instance UID", study.StudyInstanceUid, Code: true),
                new("Status at cut-off", status),
                new("Modalities", study.Modalities.Length == 0 ? "—" : study.Modalities),
                new("Study date (shifted) / day", $"{study.StudyDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "—"} / day {study.StudyDay?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}"),
                new("Received via", Channels(studyReceipts)),
                new("Time received", $"first {HistoryFormat.Time(study.ReceivedAt)}, last {HistoryFormat.Time(study.LastReceivedAt)}"),
                new("Completed", HistoryFormat.Time(study.CompletedAt)),
                new("Intake outcomes", Outcomes(studyReceipts)),
                new("De-identification", Deid(deid)),
                new("Record id", study.Id.ToString(), Code: true),
            ]));
            blocks.Add(new HistoryTable(
                [new("#", 0.5), new("Modality", 0.8), new("Series Instance UID", 4, Code: true), new("Description", 2), new("Instances", 1)],
                study.Series.OrderBy(s => s.SeriesNumber ?? int.MaxValue).ThenBy(s => s.SeriesInstanceUid, StringComparer.Ordinal).Select(s => (IReadOnlyList<string>)
                [
                    s.SeriesNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    s.Modality,
                    s.SeriesInstanceUid,
                    s.Description ?? "",
                    Instances(s),
                ]).ToList(), "No series."));
        }
        return new HistorySection("imaging", "Imaging studies", blocks);
    }

    internal static IEnumerable<ImagingStudy> OrderedStudies(SubjectRecords records)
    {
        var visitOrder = SubjectSection.VisitsInOrder(records).Select((v, i) => (v.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return records.Studies.OrderBy(s => s.VisitId is { } v && visitOrder.TryGetValue(v, out var i) ? i : int.MaxValue)
            .ThenBy(s => s.ReceivedAt).ThenBy(s => s.StudyInstanceUid, StringComparer.Ordinal);
    }

    private static string Instances(ImagingSeries series)
    {
        var superseded = series.Instances.Count(i => i.Status == InstanceStatus.Superseded);
        return superseded == 0 ? series.Instances.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : $"{series.Instances.Count - superseded} current, {superseded} superseded";
    }

    private static string Channels(IReadOnlyList<IntakeReceipt> receipts) => receipts.Count == 0
        ? "no intake receipt"
        : string.Join("; ", receipts.GroupBy(r => (r.Channel, r.Sender)).Select(g =>
            $"{Channel(g.Key.Channel)}{(g.Key.Sender is null ? "" : $" from {g.Key.Sender}")} ({HistoryFormat.Count(g.Count(), "object", "objects")})"));

    private static string Channel(IntakeChannel channel) => channel switch
    {
        IntakeChannel.DicomPush => "DICOM push (C-STORE)",
        IntakeChannel.BrowserUpload => "browser upload",
        IntakeChannel.StowRs => "STOW-RS",
        IntakeChannel.Cli => "trialflow CLI",
        IntakeChannel.Retrieval => "retrospective pull from the site's PACS",
        _ => channel.ToString(),
    };

    private static string Outcomes(IReadOnlyList<IntakeReceipt> receipts) => receipts.Count == 0
        ? "—"
        : string.Join(", ", receipts.GroupBy(r => r.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));

    private static string Deid(IReadOnlyList<DeidRecord> records) => records.Count == 0
        ? "no de-identification record"
        : string.Join("; ", records.GroupBy(r => (r.ProfileName, r.ProfileVersion, Options: string.Join(", ", r.Options))).Select(g =>
            $"profile {g.Key.ProfileName} version {g.Key.ProfileVersion}, options: {(g.Key.Options.Length == 0 ? "none" : g.Key.Options)} ({HistoryFormat.Count(g.Count(), "instance", "instances")})"));
}
