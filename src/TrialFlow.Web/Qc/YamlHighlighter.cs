using System.Text.RegularExpressions;

namespace TrialFlow.Web.Qc;

/// <summary>What a piece of a ruleset line is, for colouring.</summary>
public enum YamlTokenKind
{
    Text,
    Comment,
    Key,
    String,
    Reference,
    Punctuation,
}

public sealed record YamlToken(YamlTokenKind Kind, string Text);

/// <summary>
/// Splits a line of a ruleset into tokens for display: comments, keys, quoted strings, <c>alias.Field</c> references
/// and YAML punctuation. Display only: the compiler reads the file with a real YAML parser.
/// </summary>
public static partial class YamlHighlighter
{
    public static IReadOnlyList<YamlToken> Tokens(string line)
    {
        var tokens = new List<YamlToken>();
        foreach (Match m in Token().Matches(line))
        {
            var kind = m.Groups["comment"].Success ? YamlTokenKind.Comment
                : m.Groups["key"].Success ? YamlTokenKind.Key
                : m.Groups["string"].Success ? YamlTokenKind.String
                : m.Groups["reference"].Success ? YamlTokenKind.Reference
                : m.Groups["punctuation"].Success ? YamlTokenKind.Punctuation
                : YamlTokenKind.Text;
            if (tokens.Count > 0 && tokens[^1].Kind == kind && kind == YamlTokenKind.Text)
                tokens[^1] = tokens[^1] with { Text = tokens[^1].Text + m.Value };
            else
                tokens.Add(new YamlToken(kind, m.Value));
        }
        return tokens;
    }

    [GeneratedRegex("""(?<comment>(?<=^|\s)#.*$)|(?<string>"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?)|(?<key>[A-Za-z_][\w-]*(?=:(\s|$)))|(?<reference>\b[a-z][A-Za-z0-9_]*\.[A-Z][A-Za-z0-9]*\b)|(?<punctuation>[-:{}\[\],])|(?<text>\s+|[^\s"'#{}\[\],:-]+|.)""")]
    private static partial Regex Token();
}
