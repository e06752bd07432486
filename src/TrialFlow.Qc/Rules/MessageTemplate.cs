using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TrialFlow.Qc.Facts;

namespace TrialFlow.Qc.Rules;

/// <summary>
/// A finding's message: text with <c>{alias.Field}</c>, <c>{alias.Field,width}</c> or <c>{alias.Field:format}</c>
/// placeholders (a .NET numeric format such as <c>0.#</c> or <c>F2</c>), filled from the matched facts. <c>{{</c> and
/// <c>}}</c> write braces. Absent values read "(absent)"; lists are joined with ", ".
/// </summary>
/// <remarks>
/// The file is written by QC leads, so a format must not be able to make a message huge: widths are at most
/// <see cref="MaxWidth"/>, standard format precisions at most <see cref="MaxPrecision"/>, custom formats at most
/// <see cref="MaxFormatLength"/> characters, all checked at load; and a rendered message is cut at
/// <see cref="MaxLength"/> characters whatever the values are.
/// </remarks>
public sealed partial class MessageTemplate
{
    /// <summary>The widest alignment a placeholder may ask for (<c>{s.Number,-64}</c>).</summary>
    public const int MaxWidth = 64;

    /// <summary>The largest precision of a standard numeric format (<c>F15</c>, <c>D15</c>): a double has no more digits.</summary>
    public const int MaxPrecision = 15;

    /// <summary>The longest custom numeric format (<c>0.##</c>, <c>#,##0.0 mm</c>).</summary>
    public const int MaxFormatLength = 32;

    /// <summary>A rendered message is cut here; findings are read by people and stored in the database.</summary>
    public const int MaxLength = 2000;

    private readonly List<Part> _parts;

    private MessageTemplate(List<Part> parts) => _parts = parts;

    private sealed record Part(string? Text, int Fact, FactField? Field, string? Format, int Width = 0);

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
                error($"message: '{template[i..(end + 1)]}' is not a placeholder (write {{alias.Field}}, {{alias.Field,width}} or {{alias.Field:format}})");
            }
            else
            {
                var alias = placeholder.Groups["alias"].Value;
                var field = placeholder.Groups["field"].Value;
                if (!aliases.TryGetValue(alias, out var fact))
                    error($"message: undefined alias '{alias}' in {{{alias}.{field}}} (matched aliases: {string.Join(", ", aliases.Keys)})");
                else if (!fact.Type.Fields.TryGetValue(field, out var f))
                    error($"message: unknown field '{field}' of {fact.Type.Name} in {{{alias}.{field}}}");
                else if (FormatProblem(f, placeholder) is { } problem)
                    error($"message: {{{alias}.{field}{placeholder.Groups["rest"].Value}}}: {problem}");
                else
                {
                    if (text.Length > 0) parts.Add(new Part(text.ToString(), -1, null, null));
                    text.Clear();
                    parts.Add(new Part(null, fact.Index, f, placeholder.Groups["format"].Success ? placeholder.Groups["format"].Value : null,
                        placeholder.Groups["width"].Success ? int.Parse(placeholder.Groups["width"].Value, CultureInfo.InvariantCulture) : 0));
                }
            }
            i = end;
        }
        if (text.Length > 0) parts.Add(new Part(text.ToString(), -1, null, null));
        return new MessageTemplate(parts);
    }

    /// <summary>The message for one match, at most <see cref="MaxLength"/> characters (cut with an ellipsis).</summary>
    public string Render(object[] facts)
    {
        var message = new StringBuilder();
        foreach (var part in _parts)
        {
            var value = part.Text ?? Format(part.Field!.Property.GetValue(facts[part.Fact]), part.Format);
            message.Append(part.Width < 0 ? value.PadRight(-part.Width) : value.PadLeft(part.Width));
            if (message.Length > MaxLength)
                break;
        }
        return message.Length > MaxLength ? message.ToString(0, MaxLength - 1) + "…" : message.ToString();
    }

    /// <summary>Why a placeholder's width or format is refused, or null. Parsed digits are bounded first: no int overflow.</summary>
    private static string? FormatProblem(FactField field, Match placeholder)
    {
        if (placeholder.Groups["width"] is { Success: true } width
            && (width.Value.TrimStart('-').Length > 3 || Math.Abs(int.Parse(width.Value, CultureInfo.InvariantCulture)) > MaxWidth))
            return $"the width {width.Value} is wider than {MaxWidth} characters";
        if (placeholder.Groups["format"] is not { Success: true } group)
            return null;
        var format = group.Value;
        if (StandardFormat().Match(format) is { Success: true } standard)
        {
            var digits = standard.Groups["precision"].Value;
            if (digits.Length > 0 && (digits.TrimStart('0').Length > 2 || int.Parse(digits, CultureInfo.InvariantCulture) > MaxPrecision))
                return $"the precision {digits} of format '{format}' is more than {MaxPrecision} digits";
        }
        else if (format.Length > MaxFormatLength)
        {
            return $"the format '{format[..MaxFormatLength]}…' is longer than {MaxFormatLength} characters";
        }
        else if (format.Count(c => c is '0' or '#') > MaxPrecision + 6)
        {
            return $"the format '{format}' has more than {MaxPrecision + 6} digit placeholders";
        }
        if (field.Kind != FieldKind.Number)
            return null;
        // A format the number type does not know (D on a double, Q) would throw for every finding: refuse it now.
        try
        {
            var sample = (Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType) == typeof(int) ? (IFormattable)1 : 1.5;
            sample.ToString(format, CultureInfo.InvariantCulture);
            return null;
        }
        catch (FormatException)
        {
            return $"'{format}' is not a numeric format for {field.Name} (e.g. 0.##, F2, N0)";
        }
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

    [GeneratedRegex(@"\G(?<alias>[a-z][A-Za-z0-9_]*)\.(?<field>[A-Za-z][A-Za-z0-9]*)(?<rest>(,\s*(?<width>-?[0-9]+))?(:(?<format>[^{}]+))?)")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z](?<precision>[0-9]*)$")]
    private static partial Regex StandardFormat();
}
