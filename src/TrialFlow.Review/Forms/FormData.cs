using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TrialFlow.Review.Forms;

/// <summary>
/// What a reader entered in a form: top-level field values and the rows of each repeatable group. Values are
/// strings in the invariant culture ("12.5", "2026-04-13", "true"), so the content hashes the same on every machine.
/// </summary>
public sealed record FormData(IReadOnlyDictionary<string, string?> Fields, IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>> Groups)
{
    public static FormData Empty { get; } = new(new Dictionary<string, string?>(), new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>>());

    public string? Field(string key) => Fields.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    public IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows(string group) => Groups.TryGetValue(group, out var rows) ? rows : [];

    /// <summary>
    /// The canonical JSON of the content: keys in ordinal order, empty values left out, no whitespace. Signatures
    /// hash this text, so two forms with the same content have the same hash whatever order they were typed in.
    /// </summary>
    public string ToCanonicalJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("fields");
            WriteValues(w, Fields);
            w.WriteEndObject();
            w.WriteStartObject("groups");
            foreach (var (key, rows) in Groups.Where(g => g.Value.Count > 0).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                w.WriteStartArray(key);
                foreach (var row in rows)
                {
                    w.WriteStartObject();
                    WriteValues(w, row);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static FormData FromJson(string json)
    {
        var raw = JsonSerializer.Deserialize<RawForm>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? new RawForm(null, null);
        return new FormData(
            raw.Fields ?? new Dictionary<string, string?>(),
            (raw.Groups ?? []).ToDictionary(g => g.Key, g => (IReadOnlyList<IReadOnlyDictionary<string, string?>>)g.Value.Select(r => (IReadOnlyDictionary<string, string?>)r).ToList()));
    }

    /// <summary>SHA-256 of the canonical JSON, lower-case hex.</summary>
    public static string Sha256Of(string canonicalContent) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalContent)));

    private static void WriteValues(Utf8JsonWriter w, IReadOnlyDictionary<string, string?> values)
    {
        foreach (var (key, value) in values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).OrderBy(v => v.Key, StringComparer.Ordinal))
            w.WriteString(key, value!.Trim());
    }

    private sealed record RawForm(Dictionary<string, string?>? Fields, Dictionary<string, List<Dictionary<string, string?>>>? Groups);
}
