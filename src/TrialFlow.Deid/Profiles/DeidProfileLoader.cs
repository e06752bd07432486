using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TrialFlow.Dicom;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TrialFlow.Deid.Profiles;

/// <summary>
/// Loads <c>rulesets/deid/*.yaml</c> profiles. All or nothing: an unknown key, tag, keyword, option or action, a bad
/// value or a cycle in <c>extends</c> raises <see cref="DeidProfileException"/> with the file and line, and nothing
/// of the file is used.
/// </summary>
public static class DeidProfileLoader
{
    private static readonly string[] TopLevelKeys =
        ["name", "description", "extends", "options", "patientName", "cleanedPlaceholder", "safeVocabulary", "safePrivate", "tags", "pixelBlanking"];

    /// <summary>Loads a profile file and everything it extends (paths relative to the file).</summary>
    public static DeidProfile LoadFile(string path)
    {
        var full = Path.GetFullPath(path);
        var layers = new List<Layer>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? current = full;
        while (current is not null)
        {
            if (!seen.Add(current)) throw new DeidProfileException(full, 0, $"'extends' forms a cycle through {current}");
            if (!File.Exists(current)) throw new DeidProfileException(layers.Count > 0 ? layers[^1].File : full, layers.Count > 0 ? layers[^1].ExtendsLine : 0, $"profile file {current} does not exist");
            var layer = Parse(current, File.ReadAllText(current));
            layers.Add(layer);
            current = layer.Extends is null ? null : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, layer.Extends));
        }
        layers.Reverse();
        return Resolve(layers);
    }

    /// <summary>Loads a profile from text (no <c>extends</c> allowed: there is no folder to resolve it against).</summary>
    public static DeidProfile LoadText(string text, string fileName = "<text>")
    {
        var layer = Parse(fileName, text);
        if (layer.Extends is not null) throw new DeidProfileException(fileName, layer.ExtendsLine, "'extends' needs a profile loaded from a file");
        return Resolve([layer]);
    }

    private sealed class Layer(string file)
    {
        public string File { get; } = file;
        public string? Name { get; set; }
        public string? Extends { get; set; }
        public int ExtendsLine { get; set; }
        public Dictionary<DeidOption, bool> Options { get; } = [];
        public string? PatientName { get; set; }
        public string? Placeholder { get; set; }
        public List<string> Vocabulary { get; } = [];
        public List<SafePrivateElement> SafePrivate { get; } = [];
        public Dictionary<DicomTag, TagOverride> Overrides { get; } = [];
        public List<PixelBlankingRule> PixelBlanking { get; } = [];
    }

    private static Layer Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new DeidProfileException(file, Line(ex.Start), $"not valid YAML: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new DeidProfileException(file, 1, "a profile is one YAML mapping (name, options, tags, ...)");

        var layer = new Layer(file);
        foreach (var (keyNode, value) in root.Children)
        {
            var key = Scalar(file, keyNode);
            switch (key)
            {
                case "name":
                    layer.Name = Scalar(file, value);
                    if (layer.Name.Length == 0) throw new DeidProfileException(file, Line(value), "name is empty");
                    break;
                case "description":
                    Scalar(file, value);
                    break;
                case "extends":
                    layer.Extends = Scalar(file, value);
                    layer.ExtendsLine = Line(value);
                    break;
                case "options":
                    foreach (var (k, v) in Mapping(file, value, "options").Children)
                    {
                        var name = Scalar(file, k);
                        if (!DeidOptions.TryParse(name, out var option))
                            throw new DeidProfileException(file, Line(k), $"unknown option '{name}' (known: {string.Join(", ", Enum.GetValues<DeidOption>().Select(o => o.YamlName()))})");
                        layer.Options[option] = Bool(file, v);
                    }
                    break;
                case "patientName":
                    layer.PatientName = Scalar(file, value);
                    break;
                case "cleanedPlaceholder":
                    layer.Placeholder = Scalar(file, value);
                    if (layer.Placeholder.Length is 0 or > 16 || layer.Placeholder.Any(c => c is '\\' or < ' ' or > '~'))
                        throw new DeidProfileException(file, Line(value), "cleanedPlaceholder must be 1-16 printable ASCII characters without backslash (it must fit SH and AE)");
                    break;
                case "safeVocabulary":
                    foreach (var item in Sequence(file, value, "safeVocabulary").Children)
                        layer.Vocabulary.Add(Scalar(file, item).Trim().ToUpperInvariant());
                    break;
                case "safePrivate":
                    foreach (var item in Sequence(file, value, "safePrivate").Children) ParseSafePrivate(file, item, layer);
                    break;
                case "tags":
                    foreach (var (k, v) in Mapping(file, value, "tags").Children) ParseOverride(file, k, v, layer);
                    break;
                case "pixelBlanking":
                    foreach (var item in Sequence(file, value, "pixelBlanking").Children) layer.PixelBlanking.Add(ParseBlanking(file, item));
                    break;
                default:
                    throw new DeidProfileException(file, Line(keyNode), $"unknown key '{key}' (known: {string.Join(", ", TopLevelKeys)})");
            }
        }
        if (layer.Name is null) throw new DeidProfileException(file, 1, "the profile has no 'name'");
        return layer;
    }

    private static void ParseOverride(string file, YamlNode keyNode, YamlNode value, Layer layer)
    {
        var key = Scalar(file, keyNode);
        var tag = ParseTagOrKeyword(file, keyNode, key);
        TagOverride rule;
        if (value is YamlScalarNode s)
        {
            rule = (s.Value ?? "").Trim() switch
            {
                "keep" => new TagOverride(tag, OverrideAction.Keep),
                "remove" => new TagOverride(tag, OverrideAction.Remove),
                "empty" => new TagOverride(tag, OverrideAction.Empty),
                "hash" => new TagOverride(tag, OverrideAction.Hash),
                var other => throw new DeidProfileException(file, Line(value), $"unknown action '{other}' for {key} (known: keep, remove, empty, hash, or {{ replace: VALUE }})"),
            };
        }
        else if (value is YamlMappingNode m && m.Children.Count == 1 && Scalar(file, m.Children.First().Key) == "replace")
        {
            rule = new TagOverride(tag, OverrideAction.Replace, Scalar(file, m.Children.First().Value));
        }
        else
        {
            throw new DeidProfileException(file, Line(value), $"the action for {key} is keep, remove, empty, hash or {{ replace: VALUE }}");
        }
        if (tag.IsPrivate && rule.Action != OverrideAction.Remove)
            throw new DeidProfileException(file, Line(keyNode), $"{key} is private: list it under safePrivate (creator + element) instead, since its tag depends on the creator's block");
        if (!layer.Overrides.TryAdd(tag, rule))
            throw new DeidProfileException(file, Line(keyNode), $"{key} has two rules");
    }

    private static DicomTag ParseTagOrKeyword(string file, YamlNode node, string text)
    {
        if (text.StartsWith('('))
        {
            try
            {
                return DicomTag.Parse(text);
            }
            catch (FormatException)
            {
                throw new DeidProfileException(file, Line(node), $"'{text}' is not a tag (write (gggg,eeee) or a keyword)");
            }
        }
        if (DicomDictionary.TryGetTag(text, out var tag)) return tag;
        throw new DeidProfileException(file, Line(node), $"unknown keyword '{text}' (not in the PS3.6 dictionary)");
    }

    private static void ParseSafePrivate(string file, YamlNode node, Layer layer)
    {
        var m = Mapping(file, node, "safePrivate item");
        ushort? group = null;
        string? creator = null;
        var offsets = new List<byte>();
        foreach (var (k, v) in m.Children)
        {
            switch (Scalar(file, k))
            {
                case "group":
                    var g = Hex(file, v, 0xFFFF);
                    if ((g & 1) == 0 || g <= 7) throw new DeidProfileException(file, Line(v), $"group {g:X4} is not a private (odd) group");
                    group = (ushort)g;
                    break;
                case "creator":
                    creator = Scalar(file, v).Trim();
                    break;
                case "elements":
                    foreach (var e in Sequence(file, v, "elements").Children) offsets.Add((byte)Hex(file, e, 0xFF));
                    break;
                default:
                    throw new DeidProfileException(file, Line(k), $"unknown key '{Scalar(file, k)}' in safePrivate (group, creator, elements)");
            }
        }
        if (group is null || creator is null || offsets.Count == 0)
            throw new DeidProfileException(file, Line(node), "a safePrivate item needs group, creator and elements");
        foreach (var o in offsets) layer.SafePrivate.Add(new SafePrivateElement(group.Value, creator, o));
    }

    private static PixelBlankingRule ParseBlanking(string file, YamlNode node)
    {
        var m = Mapping(file, node, "pixelBlanking item");
        string? manufacturer = null, model = null;
        int? rows = null, columns = null;
        var rects = new List<PixelRectangle>();
        foreach (var (k, v) in m.Children)
        {
            switch (Scalar(file, k))
            {
                case "manufacturer": manufacturer = Scalar(file, v); break;
                case "model": model = Scalar(file, v); break;
                case "rows": rows = Int(file, v); break;
                case "columns": columns = Int(file, v); break;
                case "rectangles":
                    foreach (var r in Sequence(file, v, "rectangles").Children)
                    {
                        var parts = Sequence(file, r, "rectangle [left, top, width, height]").Children.Select(p => Int(file, p)).ToArray();
                        if (parts.Length != 4 || parts.Any(p => p < 0) || parts[2] == 0 || parts[3] == 0)
                            throw new DeidProfileException(file, Line(r), "a rectangle is [left, top, width, height] with non-negative numbers and non-zero size");
                        rects.Add(new PixelRectangle(parts[0], parts[1], parts[2], parts[3]));
                    }
                    break;
                default:
                    throw new DeidProfileException(file, Line(k), $"unknown key '{Scalar(file, k)}' in pixelBlanking (manufacturer, model, rows, columns, rectangles)");
            }
        }
        if (rows is null || columns is null || rects.Count == 0)
            throw new DeidProfileException(file, Line(node), "a pixelBlanking rule needs rows, columns and at least one rectangle");
        foreach (var r in rects)
            if (r.Left + r.Width > columns || r.Top + r.Height > rows)
                throw new DeidProfileException(file, Line(node), $"rectangle {r} lies outside {columns}x{rows}");
        return new PixelBlankingRule(manufacturer, model, rows.Value, columns.Value, rects);
    }

    private static DeidProfile Resolve(List<Layer> layers)
    {
        var options = new Dictionary<DeidOption, bool>();
        var overrides = new Dictionary<DicomTag, TagOverride>();
        var vocabulary = new SortedSet<string>(StringComparer.Ordinal);
        var safePrivate = new List<SafePrivateElement>();
        var blanking = new List<PixelBlankingRule>();
        string? patientName = null;
        var placeholder = "CLEANED";
        foreach (var layer in layers)
        {
            foreach (var (k, v) in layer.Options) options[k] = v;
            foreach (var (k, v) in layer.Overrides) overrides[k] = v;
            vocabulary.UnionWith(layer.Vocabulary);
            safePrivate.AddRange(layer.SafePrivate);
            blanking.AddRange(layer.PixelBlanking);
            patientName = layer.PatientName ?? patientName;
            placeholder = layer.Placeholder ?? placeholder;
        }
        var enabled = options.Where(o => o.Value).Select(o => o.Key).ToHashSet();
        var last = layers[^1];
        if (enabled.Contains(DeidOption.RetainLongitudinalFullDates) && enabled.Contains(DeidOption.RetainLongitudinalModifiedDates))
            throw new DeidProfileException(last.File, 0, "retainLongitudinalFullDates and retainLongitudinalModifiedDates exclude each other");
        if (safePrivate.Count > 0 && !enabled.Contains(DeidOption.RetainSafePrivate))
            throw new DeidProfileException(last.File, 0, "safePrivate lists elements but the retainSafePrivate option is off");
        if (patientName is not null && patientName != "subjectId" && (patientName.Length > 64 || patientName.Contains('\\')))
            throw new DeidProfileException(last.File, 0, "patientName is 'subjectId' or a text of at most 64 characters without backslash");

        var canonical = Canonical(layers.Select(l => l.Name!).ToList(), enabled, overrides, vocabulary, safePrivate, blanking, patientName, placeholder);
        return new DeidProfile
        {
            Name = last.Name!,
            Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))),
            Lineage = [.. layers.Select(l => l.Name!)],
            Options = enabled,
            Overrides = overrides,
            SafeVocabulary = vocabulary,
            CleanedPlaceholder = placeholder,
            SafePrivate = safePrivate,
            PixelBlanking = blanking,
            PatientNameText = patientName is null or "subjectId" ? null : patientName,
            CanonicalContent = canonical,
        };
    }

    // Sorted, culture-free JSON: the same rules always hash the same, whatever the order or comments in the files.
    private static string Canonical(List<string> lineage, HashSet<DeidOption> options, Dictionary<DicomTag, TagOverride> overrides,
        SortedSet<string> vocabulary, List<SafePrivateElement> safePrivate, List<PixelBlankingRule> blanking, string? patientName, string placeholder)
    {
        var content = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["basicProfile"] = "PS3.15 2023b Table E.1-1",
            ["lineage"] = lineage,
            ["options"] = options.Select(o => o.YamlName()).Order(StringComparer.Ordinal).ToList(),
            ["overrides"] = overrides.Values.OrderBy(o => o.Tag.Value)
                .Select(o => $"{o.Tag} {o.Action.ToString().ToLowerInvariant()}{(o.Value is null ? "" : " " + o.Value)}").ToList(),
            ["safeVocabulary"] = vocabulary.ToList(),
            ["safePrivate"] = safePrivate.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Group:X4} {s.Creator} {s.ElementOffset:X2}"))
                .Distinct().Order(StringComparer.Ordinal).ToList(),
            ["pixelBlanking"] = blanking.Select(b => string.Create(CultureInfo.InvariantCulture,
                $"{b.Manufacturer}|{b.Model}|{b.Columns}x{b.Rows}|{string.Join(";", b.Rectangles.Select(r => $"{r.Left},{r.Top},{r.Width},{r.Height}"))}")).ToList(),
            ["patientName"] = patientName ?? "subjectId",
            ["cleanedPlaceholder"] = placeholder,
        };
        return JsonSerializer.Serialize(content);
    }

    private static int Line(YamlNode node) => Line(node.Start);

    private static int Line(Mark mark) => (int)Math.Min(int.MaxValue, mark.Line);

    private static string Scalar(string file, YamlNode node) => node is YamlScalarNode { Value: var v }
        ? v ?? ""
        : throw new DeidProfileException(file, Line(node), "expected a single value here");

    private static YamlMappingNode Mapping(string file, YamlNode node, string what) => node as YamlMappingNode
        ?? throw new DeidProfileException(file, Line(node), $"{what} must be a mapping (key: value lines)");

    private static YamlSequenceNode Sequence(string file, YamlNode node, string what) => node as YamlSequenceNode
        ?? throw new DeidProfileException(file, Line(node), $"{what} must be a list");

    private static bool Bool(string file, YamlNode node) => Scalar(file, node) switch
    {
        "true" => true,
        "false" => false,
        var v => throw new DeidProfileException(file, Line(node), $"expected true or false, found '{v}'"),
    };

    private static int Int(string file, YamlNode node) =>
        int.TryParse(Scalar(file, node), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new DeidProfileException(file, Line(node), $"expected a whole number, found '{Scalar(file, node)}'");

    private static uint Hex(string file, YamlNode node, uint max)
    {
        var text = Scalar(file, node).Trim();
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (uint.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v) && v <= max) return v;
        throw new DeidProfileException(file, Line(node), $"expected a hexadecimal number up to {max:X}, found '{text}'");
    }
}
