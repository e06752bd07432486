using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TrialFlow.Activation.Domain;

/// <summary>
/// Reads an activation checklist file. A study manager edits these, so every mistake is reported with the file and line
/// and what was expected, and the host refuses to start with a broken checklist rather than activate sites against it.
/// </summary>
/// <example>
/// name: TF-ONC-301 site activation
/// items:
///   - key: staff-trained
///     title: Site staff trained on the imaging manual and image transfer
///     perUser: true
///   - key: test-transfer
///     title: Test transfer from the site's PACS received
///     automatic: test-transfer
/// </example>
public static class ChecklistLoader
{
    private static readonly Dictionary<string, AutomaticCheck> AutomaticChecks = new(StringComparer.Ordinal)
    {
        ["test-transfer"] = AutomaticCheck.TestTransfer,
        ["scanner-qualification"] = AutomaticCheck.ScannerQualification,
    };

    public static ChecklistTemplate Load(string path) => Parse(Path.GetFileName(path), File.ReadAllText(path));

    public static ChecklistTemplate Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ChecklistFileException(file, Line(e.Start), $"not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ChecklistFileException(file, 1, "a checklist is one YAML mapping with 'name' and 'items'");

        string? name = null;
        List<ChecklistItemDefinition>? items = null;
        foreach (var (keyNode, value) in root.Children)
            switch (Scalar(file, keyNode))
            {
                case "name": name = Scalar(file, value); break;
                case "items": items = Items(file, value); break;
                case var other: throw new ChecklistFileException(file, Line(keyNode.Start), $"unknown key '{other}' (known: name, items)");
            }
        if (string.IsNullOrWhiteSpace(name))
            throw new ChecklistFileException(file, 1, "the checklist needs a 'name'");
        if (items is null || items.Count == 0)
            throw new ChecklistFileException(file, 1, "the checklist needs 'items', a list of at least one item");
        return new ChecklistTemplate(name.Trim(), file, items);
    }

    private static List<ChecklistItemDefinition> Items(string file, YamlNode node)
    {
        var list = node as YamlSequenceNode ?? throw new ChecklistFileException(file, Line(node.Start), "'items' must be a list (lines starting with '- ')");
        var items = new List<ChecklistItemDefinition>();
        foreach (var itemNode in list.Children)
        {
            var item = Item(file, itemNode);
            if (items.Any(i => i.Key == item.Key))
                throw new ChecklistFileException(file, Line(itemNode.Start), $"item key '{item.Key}' is used twice");
            items.Add(item);
        }
        return items;
    }

    private static ChecklistItemDefinition Item(string file, YamlNode node)
    {
        var map = node as YamlMappingNode ?? throw new ChecklistFileException(file, Line(node.Start), "an item is a mapping with at least 'key' and 'title'");
        string? key = null, title = null, guidance = null;
        bool required = true, perUser = false;
        AutomaticCheck? automatic = null;
        foreach (var (keyNode, value) in map.Children)
            switch (Scalar(file, keyNode))
            {
                case "key": key = Scalar(file, value); break;
                case "title": title = Scalar(file, value); break;
                case "guidance": guidance = Scalar(file, value); break;
                case "required": required = Bool(file, value); break;
                case "perUser": perUser = Bool(file, value); break;
                case "automatic":
                    automatic = AutomaticChecks.TryGetValue(Scalar(file, value), out var check) ? check
                        : throw new ChecklistFileException(file, Line(value.Start), $"unknown automatic check '{Scalar(file, value)}' (known: {string.Join(", ", AutomaticChecks.Keys)})");
                    break;
                case var other: throw new ChecklistFileException(file, Line(keyNode.Start), $"unknown item key '{other}' (known: key, title, required, perUser, automatic, guidance)");
            }
        if (string.IsNullOrWhiteSpace(key) || !key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            throw new ChecklistFileException(file, Line(node.Start), $"an item needs a 'key' of lower-case letters, digits and '-' (found '{key}')");
        if (string.IsNullOrWhiteSpace(title))
            throw new ChecklistFileException(file, Line(node.Start), $"item '{key}' needs a 'title'");
        if (perUser && automatic is not null)
            throw new ChecklistFileException(file, Line(node.Start), $"item '{key}' cannot be both per user and automatic");
        return new ChecklistItemDefinition(key, title.Trim(), required, perUser, automatic, guidance?.Trim());
    }

    private static string Scalar(string file, YamlNode node) => node is YamlScalarNode { Value: var v }
        ? v ?? ""
        : throw new ChecklistFileException(file, Line(node.Start), "expected a single value here");

    private static bool Bool(string file, YamlNode node) => Scalar(file, node) switch
    {
        "true" => true,
        "false" => false,
        var v => throw new ChecklistFileException(file, Line(node.Start), $"expected true or false, found '{v}'"),
    };

    private static int Line(Mark mark) => (int)Math.Min(int.MaxValue, mark.Line);
}

/// <summary>A mistake in an activation checklist file, with where it is.</summary>
public sealed class ChecklistFileException(string file, int line, string reason) : Exception($"{file}:{line}: {reason}");
