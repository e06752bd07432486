using TrialFlow.Core.Imaging;

namespace TrialFlow.Reports.History.Sections;

/// <summary>The subject and its visits: what the schedule planned, what occurred, and which studies each visit holds.</summary>
internal sealed class SubjectSection : IHistorySection
{
    public int Order => 100;

    public async Task<HistorySection> BuildAsync(SubjectRecords records, CancellationToken cancellationToken)
    {
        var subject = records.Subject;
        var status = await records.AsOfCutOffAsync(subject.Id.ToString(), nameof(subject.Status), subject.Status.ToString(), cancellationToken);
        var facts = new HistoryFacts(
        [
            new("Subject", subject.SubjectKey, $"/subjects/{subject.Id}/history"),
            new("Status at cut-off", status),
            new("Trial", $"{records.Trial.ProtocolId} · {records.Trial.Title} ({records.Trial.Sponsor})"),
            new("Site", $"{records.Site.SiteNumber} · {records.Site.Name} ({records.Site.Country})", $"/sites/{records.Site.Id}"),
            new("Record id", subject.Id.ToString(), Code: true),
        ]);
        var rows = VisitsInOrder(records).Select(v => (IReadOnlyList<string>)
        [
            v.Definition?.VisitKey ?? "?",
            v.Definition?.Name ?? "",
            v.VisitDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "—",
            v.Status.ToString(),
            StudiesOf(records, v.Id),
        ]).ToList();
        var table = new HistoryTable(
            [new("Visit", 1.2), new("Name", 1.6), new("Visit date (shifted)", 1.4), new("Status", 1), new("Studies", 4, Code: true)],
            rows, "No visits are recorded for this subject.");
        return new HistorySection("subject", "Subject and visits", [facts, new HistoryHeading("Visits"), table]);
    }

    internal static IEnumerable<Core.Trials.Visit> VisitsInOrder(SubjectRecords records) =>
        records.Visits.OrderBy(v => v.Definition?.Order ?? int.MaxValue).ThenBy(v => v.Definition?.NominalDay).ThenBy(v => v.Id);

    private static string StudiesOf(SubjectRecords records, Guid visitId)
    {
        var uids = records.Studies.Where(s => s.VisitId == visitId).Select(s => s.StudyInstanceUid).ToList();
        return uids.Count == 0 ? "none" : string.Join("\n", uids);
    }

    internal static string VisitLabel(SubjectRecords records, ImagingStudy study)
    {
        var visit = records.Visits.FirstOrDefault(v => v.Id == study.VisitId);
        return visit?.Definition is { } d ? $"{d.VisitKey} ({d.Name})" : "no visit";
    }
}
