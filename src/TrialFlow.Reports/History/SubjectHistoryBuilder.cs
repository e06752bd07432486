using TrialFlow.Core.Persistence;

namespace TrialFlow.Reports.History;

/// <summary>Builds a subject's history from the registered <see cref="IHistorySection"/>s, in their order, over one set of loaded records.</summary>
public sealed class SubjectHistoryBuilder(IEnumerable<IHistorySection> sections)
{
    private readonly IReadOnlyList<IHistorySection> _sections = sections.OrderBy(s => s.Order).ThenBy(s => s.GetType().FullName, StringComparer.Ordinal).ToList();

    /// <summary>The history as of <paramref name="cutOff"/> (truncated to the second), read through <paramref name="db"/> and its site scope; null when the subject is not visible.</summary>
    public async Task<SubjectHistory?> BuildAsync(TrialFlowDbContext db, Guid subjectId, DateTime cutOff, CancellationToken cancellationToken = default)
    {
        var records = await SubjectRecords.LoadAsync(db, subjectId, cutOff, cancellationToken);
        if (records is null)
            return null;
        var built = new List<HistorySection>();
        foreach (var section in _sections)
            built.Add(await section.BuildAsync(records, cancellationToken));
        var events = await records.EventsAsync(cancellationToken);
        var last = events.Count == 0 ? null : events[^1];
        var history = new SubjectHistory(records.Trial.Id, records.Trial.ProtocolId, records.Trial.Title, records.Trial.Sponsor,
            records.Site.Id, records.Site.SiteNumber, records.Site.Name, records.Subject.Id, records.Subject.SubjectKey,
            records.CutOff, records.CutOffSequence, records.Chain, last, events.Count, []);
        return history with { Sections = [Integrity(history), .. built] };
    }

    private static HistorySection Integrity(SubjectHistory history) => new("integrity", "Integrity",
    [
        new HistoryNote(history.ChainStatement, history.Chain.IsIntact ? HistoryTone.Good : HistoryTone.Problem),
        new HistoryFacts(
        [
            new("Records as of (cut-off)", HistoryFormat.Time(history.CutOff)),
            new("Audit events checked", $"{history.Chain.EventsChecked} (chain events #1 to #{history.CutOffSequence})"),
            new("Chain result", history.Chain.IsIntact ? "intact" : $"broken at event #{history.Chain.BrokenAt}"),
            new("Chain head at cut-off", history.Chain.IsIntact ? $"#{history.Chain.LastSequence} {history.Chain.LastHash}" : $"last verified #{history.Chain.LastSequence} {history.Chain.LastHash}", Code: true),
            new("Checkpoint verified against", history.Chain.Checkpoint is { } c ? $"#{c.Sequence} of {HistoryFormat.Time(c.At)}, key {c.KeyId}" : "none yet"),
            new("Events covering this subject", history.CoveredEventCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Last event covered", history.LastCoveredEvent is { } e ? $"#{e.Sequence} at {HistoryFormat.Time(e.OccurredAt)}, hash {e.Hash}" : "none", Code: true),
        ]),
    ]);
}
