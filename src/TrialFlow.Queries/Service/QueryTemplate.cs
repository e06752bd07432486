using TrialFlow.Queries.Domain;
using System.Text;
using System.Text.RegularExpressions;

namespace TrialFlow.Queries.Service;

/// <summary>
/// A query text template (<c>templates/queries/*.txt</c>): header lines <c>Title:</c>, <c>Category:</c>, <c>Priority:</c>,
/// a line <c>---</c>, then the body. <c>{placeholder}</c> names one of <see cref="Placeholders"/>; any other name is an
/// error at load time naming the file and line, so a typo never reaches a site.
/// </summary>
public sealed partial record QueryTemplate(string Name, string Title, QueryCategory Category, QueryPriority Priority, string Body)
{
    public static IReadOnlyList<string> Placeholders { get; } =
        ["site.number", "site.name", "subject", "visit", "study.uid", "study.description", "study.date", "study.modalities", "findings", "qc.ruleset"];

    public static QueryTemplate Parse(string name, string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var separator = Array.FindIndex(lines, l => l.Trim() == "---");
        if (separator < 0)
            throw new QueryTemplateException(name, 1, "no '---' line between the header and the body");
        for (var i = 0; i < separator; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var colon = line.IndexOf(':');
            if (colon <= 0)
                throw new QueryTemplateException(name, i + 1, $"expected 'Key: value', got '{line}'");
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        for (var i = 0; i < lines.Length; i++)
            foreach (Match m in Placeholder().Matches(lines[i]))
                if (!Placeholders.Contains(m.Groups[1].Value))
                    throw new QueryTemplateException(name, i + 1, $"unknown placeholder {{{m.Groups[1].Value}}}; known: {string.Join(", ", Placeholders)}");
        var title = headers.GetValueOrDefault("Title") ?? throw new QueryTemplateException(name, 1, "the header has no 'Title:'");
        return new QueryTemplate(name, title,
            Enum<QueryCategory>(name, headers.GetValueOrDefault("Category") ?? nameof(QueryCategory.Other)),
            Enum<QueryPriority>(name, headers.GetValueOrDefault("Priority") ?? nameof(QueryPriority.Normal)),
            string.Join('\n', lines[(separator + 1)..]).Trim());
    }

    /// <summary>The title and text with every placeholder replaced; a missing value reads "(not known)".</summary>
    public (string Title, string Text) Render(IReadOnlyDictionary<string, string?> values)
    {
        string Fill(string s) => Placeholder().Replace(s, m => values.GetValueOrDefault(m.Groups[1].Value) is { Length: > 0 } v ? v : "(not known)");
        return (Fill(Title), Fill(Body));
    }

    /// <summary>Findings as the body lists them: one line each with severity, rule and series.</summary>
    public static string FindingsList(IEnumerable<QueryFindingRef> findings)
    {
        var text = new StringBuilder();
        foreach (var f in findings)
            text.Append("- [").Append(f.Severity).Append("] ").Append(f.RuleId).Append(": ").Append(f.Message)
                .Append(f.SeriesInstanceUid is null ? "" : $" (series {f.SeriesInstanceUid})").Append('\n');
        return text.ToString().TrimEnd();
    }

    private static T Enum<T>(string name, string value) where T : struct, Enum =>
        System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : throw new QueryTemplateException(name, 1, $"'{value}' is not a {typeof(T).Name} ({string.Join(", ", System.Enum.GetNames<T>())})");

    [GeneratedRegex(@"\{([a-zA-Z.]+)\}")]
    private static partial Regex Placeholder();
}

/// <summary>A query template that cannot be used; names the file and line.</summary>
public sealed class QueryTemplateException(string file, int line, string problem)
    : QueryException($"Query template {file}, line {line}: {problem}.")
{
    public string File { get; } = file;

    public int Line { get; } = line;
}

/// <summary>The query templates of a folder, by file name without extension, loaded once (a broken file stops the start).</summary>
public sealed class QueryTemplates
{
    private readonly Dictionary<string, QueryTemplate> _templates;

    public QueryTemplates(string directory)
    {
        _templates = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.txt").Select(f => QueryTemplate.Parse(Path.GetFileNameWithoutExtension(f), File.ReadAllText(f)))
                .ToDictionary(t => t.Name, StringComparer.Ordinal)
            : [];
    }

    public IReadOnlyCollection<QueryTemplate> All => _templates.Values;

    public QueryTemplate Get(string name) => _templates.TryGetValue(name, out var template)
        ? template
        : throw new QueryTemplateException(name, 0, $"no such template; known: {string.Join(", ", _templates.Keys.Order())}");
}
