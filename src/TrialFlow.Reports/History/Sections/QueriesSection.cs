using Microsoft.EntityFrameworkCore;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;

namespace TrialFlow.Reports.History.Sections;

/// <summary>
/// The queries about the subject (its studies, visits or the subject itself) raised up to the cut-off, each with its
/// status at the cut-off, due date, the QC findings it came from and its thread as it stood then.
/// </summary>
internal sealed class QueriesSection : IHistorySection
{
    public int Order => 500;

    public async Task<HistorySection> BuildAsync(SubjectRecords records, CancellationToken cancellationToken)
    {
        var subjectId = records.Subject.Id;
        var studyIds = records.Studies.Select(s => s.Id).ToList();
        var cutOff = records.CutOff;
        var queries = await records.Db.Queries.AsNoTracking().Include(q => q.Messages).Include(q => q.Findings)
            .Where(q => (q.SubjectId == subjectId || (q.StudyId != null && studyIds.Contains(q.StudyId.Value))) && q.RaisedAt <= cutOff)
            .ToListAsync(cancellationToken);
        queries = [.. queries.OrderBy(q => q.RaisedAt).ThenBy(q => q.Reference, StringComparer.Ordinal)];
        records.Cover(queries.Select(q => q.Id).ToArray());
        records.Cover(queries.SelectMany(q => q.Messages).Select(m => m.Id).ToArray());

        var blocks = new List<HistoryBlock>();
        if (queries.Count == 0)
            blocks.Add(new HistoryNote("No query was raised about this subject up to the cut-off."));
        foreach (var query in queries)
        {
            var status = await records.AsOfCutOffAsync(query.Id.ToString(), nameof(Query.Status), query.Status.ToString(), cancellationToken);
            var study = records.Studies.FirstOrDefault(s => s.Id == query.StudyId);
            blocks.Add(new HistoryHeading($"Query {query.Reference}: {query.Title}"));
            blocks.Add(new HistoryFacts(
            [
                new("Status at the cut-off", status, $"/queries/{query.Id}"),
                new("Category · priority", $"{query.Category} · {query.Priority}"),
                new("Raised", $"{HistoryFormat.Time(query.RaisedAt)} by {query.RaisedByName} ({query.RaisedByRole}), to {query.AddressedTo}"),
                new("Due", $"{query.DueDate:yyyy-MM-dd} (site business days)"),
                new("Study", study is null ? "—" : $"{SubjectSection.VisitLabel(records, study)} · {study.StudyInstanceUid}", Code: study is not null),
                new("Reopened", query.ReopenCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]));
            if (query.Findings.Count > 0)
                blocks.Add(new HistoryTable(
                    [new("Severity", 0.8), new("Rule", 2.1, Code: true), new("Finding", 5.0)],
                    query.Findings.OrderBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Message, StringComparer.Ordinal)
                        .Select(f => (IReadOnlyList<string>)[f.Severity, f.RuleId, f.Message]).ToList()));
            blocks.Add(new HistoryTable(
                [new("#", 0.4), new("When (UTC)", 1.5), new("Who", 1.8), new("Step", 1.0), new("Text", 4.2)],
                query.Messages.Where(m => m.At <= cutOff).OrderBy(m => m.Number)
                    .Select(m => (IReadOnlyList<string>)[m.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), HistoryFormat.Time(m.At), $"{m.AuthorName} ({m.AuthorRole})", m.Kind.ToString(), m.Text]).ToList(),
                "No message up to the cut-off."));
        }
        return new HistorySection("queries", "Queries", blocks);
    }
}
