using System.Text;
using System.Text.Json;
using TrialFlow.Core.Audit;
using TrialFlow.Deid.Engine;

namespace TrialFlow.Reports.History.Sections;

/// <summary>
/// The complete audit trail of every record the other sections show, up to the cut-off, in chain order: who did what to
/// which record, the old and new values of each changed property, and the reason. Built last so every section has
/// declared its records.
/// </summary>
internal sealed class AuditTrailSection : IHistorySection
{
    public int Order => 900;

    public async Task<HistorySection> BuildAsync(SubjectRecords records, CancellationToken cancellationToken)
    {
        var events = await records.EventsAsync(cancellationToken);
        var table = new HistoryTable(
            [new("Event", 1.9), new("Record", 2.1), new("Changes (old → new)", 5.2), new("Reason", 1.6)],
            events.Select(e => (IReadOnlyList<string>)
            [
                $"#{e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)} {e.Action}\n{HistoryFormat.Time(e.OccurredAt)}\n{e.ActorName} ({e.ActorRole})",
                $"{e.EntityType}\n{e.EntityId}",
                Changes(e),
                e.Reason ?? "",
            ]).ToList(), "No audit events up to the cut-off.");
        return new HistorySection("audit", "Audit trail", [
            new HistoryNote($"{HistoryFormat.Count(events.Count, "event", "events")} concern this subject's records up to the cut-off (chain event #{records.CutOffSequence}). " +
                "De-identification records are summarised by profile, options and action counts; the full record is in the event, covered by its hash."),
            table,
        ]);
    }

    /// <summary>Old and new values, one property per line: "Status: Complete → QcPassed". Nothing is shortened.</summary>
    internal static string Changes(AuditEvent e)
    {
        if (e.Action == "Deidentified" && e.NewValues is not null && TryDeid(e.NewValues) is { } deid)
            return deid;
        var old = Properties(e.OldValues);
        var @new = Properties(e.NewValues);
        var keys = old.Keys.Concat(@new.Keys).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
            return e.NewValues ?? e.OldValues ?? "";
        var text = new StringBuilder();
        foreach (var key in keys)
        {
            if (text.Length > 0)
                text.Append('\n');
            text.Append(key).Append(": ");
            var hasOld = old.TryGetValue(key, out var o);
            var hasNew = @new.TryGetValue(key, out var n);
            if (hasOld && hasNew)
                text.Append(o).Append(" → ").Append(n);
            else if (hasOld)
                text.Append(o).Append(" → (removed)");
            else
                text.Append(n);
        }
        return text.ToString();
    }

    private static Dictionary<string, string> Properties(string? json)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
            return values;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return values;
            foreach (var p in document.RootElement.EnumerateObject())
                values[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.Null => "null",
                    _ => p.Value.GetRawText(),
                };
        }
        catch (JsonException)
        {
            values["value"] = json;
        }
        return values;
    }

    private static string? TryDeid(string json)
    {
        try
        {
            var record = DeidRecord.FromJson(json);
            var actions = string.Join(", ", record.Actions.GroupBy(a => a.Action).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(json)));
            return $"profile: {record.ProfileName} version {record.ProfileVersion}\noptions: {(record.Options.Count == 0 ? "none" : string.Join(", ", record.Options))}\n" +
                $"SOP Instance UID: {record.SopInstanceUid}\nactions on {record.Actions.Count} attributes: {actions}\nrecord SHA-256: {sha}";
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
