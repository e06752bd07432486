using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TrialFlow.Qc.Facts;

namespace TrialFlow.Qc.Rules;

/// <summary>
/// A finding's message: text with <c>{alias.Field}</c> or <c>{alias.Field:format}</c> placeholders (a .NET numeric
/// format such as <c>0.#</c>), filled from the matched facts. <c>{{</c> and <c>}}</c> write braces. Absent values
/// read "(absent)"; lists are joined with ", ".
/// </summary>
public sealed partial class MessageTemplate
{
    private readonly List<Part> _parts;

    private MessageTemplate(List<Part> parts) => _parts = parts;

    private sealed record Part(string? Text, int Fact, FactField? Field, string? Format);

    /// <summary>Parses <paramref name="template"/> against the rule's matched aliases (alias → position in the match).</summary>
    internal static MessageTemplate Parse(string template, IReadOnlyDictionary<string, (int Index, FactType Type)> aliases, Action<string> error)
    {
        var parts = new List<Part>();
        var text = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                text.Append(c);
                i++;
                continue;
            }
            if (c == '}')
            {
                error($"message: unmatched '}}' at column {i + 1} (write '}}}}' for a brace)");
                continue;
            }
            if (c != '{')
            {
                text.Append(c);
                continue;
            }
            var end = template.IndexOf('}', i);
            if (end < 0)
            {
                error($"message: '{{' at column {i + 1} is never closed");
                break;
            }
            var placeholder = Placeholder().Match(template, i + 1, end - i - 1);
            if (!placeholder.Success || placeholder.Length != end - i - 1)
            {
                error($"message: '{template[i..(end + 1)]}' is not a placeholder (write {{alias.Field}} or {{alias.Field:format}})");
            }
            else
            {
                var alias = placeholder.Groups["alias"].Value;
                var field = placeholder.Groups["field"].Value;
                if (!aliases.TryGetValue(alias, out var fact))
                    error($"message: undefined alias '{alias}' in {{{alias}.{field}}} (matched aliases: {string.Join(", ", aliases.Keys)})");
                else if (!fact.Type.Fields.TryGetValue(field, out var f))
                    error($"message: unknown field '{field}' of {fact.Type.Name} in {{{alias}.{field}}}");
                else
                {
                    if (text.Length > 0) parts.Add(new Part(text.ToString(), -1, null, null));
                    text.Clear();
                    parts.Add(new Part(null, fact.Index, f, placeholder.Groups["format"].Success ? placeholder.Groups["format"].Value : null));
                }
            }
            i = end;
        }
        if (text.Length > 0) parts.Add(new Part(text.ToString(), -1, null, null));
        return new MessageTemplate(parts);
    }

    public string Render(object[] facts)
    {
        var message = new StringBuilder();
        foreach (var part in _parts)
            message.Append(part.Text ?? Format(part.Field!.Property.GetValue(facts[part.Fact]), part.Format));
        return message.ToString();
    }

    private static string Format(object? value, string? format) => value switch
    {
        null => "(absent)",
        string s => s,
        bool b => b ? "yes" : "no",
        IReadOnlyList<string> list => list.Count == 0 ? "(none)" : string.Join(", ", list),
        IFormattable f => f.ToString(format, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"\G(?<alias>[a-z][A-Za-z0-9_]*)\.(?<field>[A-Za-z][A-Za-z0-9]*)(:(?<format>[^{}]+))?")]
    private static partial Regex Placeholder();
}
