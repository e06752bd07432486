using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using TrialFlow.Qc.Domain;
using TrialFlow.Dicom;
using TrialFlow.Qc.Rules;

namespace TrialFlow.Qc.Protocols;

/// <summary>Reads a protocol requirements file; every problem names file, line and requirement id.</summary>
public static class ProtocolLoader
{
    public static ProtocolRequirements Load(string path) => Parse(Path.GetFileName(path), File.ReadAllText(path));

    public static ProtocolRequirements Parse(string file, string yaml)
    {
        var errors = new List<QcFileError>();
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                ?? throw new ProtocolException([new(file, 1, null, "the file must be a mapping with 'protocol', 'trial' and 'requirements'")]);
        }
        catch (YamlException e)
        {
            throw new ProtocolException([new(file, (int)e.Start.Line, null, $"not valid YAML: {e.InnerException?.Message ?? e.Message}")]);
        }

        var y = new YamlReader(file, errors);
        y.OnlyKeys(root, null, "protocol", "trial", "description", "requirements", "sites");
        if (root.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == "sites") is { } sites)
            y.Error(sites, null, "'sites' (hand-typed qualified scanners) is no longer read: scanners are qualified by qualification scans "
                + "(docs/activation.md) or listed per site under 'qualifiedScanners' in the trial's seed file");
        var requirements = new List<AcquisitionRequirement>();
        if (y.Child(root, "requirements") is YamlSequenceNode list)
            foreach (var node in list)
                if (node is YamlMappingNode r)
                    requirements.Add(Requirement(y, r));
                else
                    y.Error(node, null, "each requirement must be a mapping");
        else
            y.Error(root, null, "'requirements' must be a list");
        foreach (var duplicate in requirements.GroupBy(r => r.Id).Where(g => g.Count() > 1))
            errors.Add(new(file, 1, duplicate.Key, "requirement id is used twice"));

        var name = y.Text(root, "protocol", null) ?? "";
        var trial = y.Text(root, "trial", null) ?? "";
        if (errors.Count > 0)
            throw new ProtocolException(errors);
        return new ProtocolRequirements(name, trial, y.Text(root, "description", null, required: false), QcRulesetVersion.HashOf(yaml), requirements);
    }

    private static AcquisitionRequirement Requirement(YamlReader y, YamlMappingNode node)
    {
        var id = y.Text(node, "id", null) ?? "";
        y.OnlyKeys(node, id, "id", "visits", "modality", "sliceThickness", "kvp", "pixelSpacing", "matrixMin", "bodyParts", "coverageMinMm",
            "contrast", "requiredSeries", "mandatoryAttributes");
        var modality = y.Text(node, "modality", id) ?? "";
        var contrast = y.Child(node, "contrast") as YamlMappingNode;
        if (contrast is not null)
            y.OnlyKeys(contrast, id, "required", "series", "delaySeconds");
        var contrastSeries = contrast is null ? ".*" : y.Text(contrast, "series", id, required: false) ?? ".*";
        if (Regexes.Problem(contrastSeries) is { } problem)
            y.Error(contrast!, id, problem);

        var required = new List<RequiredSeries>();
        if (y.Child(node, "requiredSeries") is YamlSequenceNode series)
            foreach (var s in series.OfType<YamlMappingNode>())
            {
                y.OnlyKeys(s, id, "name", "modality", "description", "minImages");
                var pattern = y.Text(s, "description", id, required: false) ?? ".*";
                if (Regexes.Problem(pattern) is { } p)
                    y.Error(s, id, p);
                required.Add(new RequiredSeries(y.Text(s, "name", id) ?? "", y.Text(s, "modality", id, required: false) ?? modality, pattern,
                    (int)(Number(y, s, "minImages", id) ?? 1)));
            }

        var mandatory = new List<DicomTag>();
        foreach (var keyword in Texts(y, node, "mandatoryAttributes", id))
            if (DicomDictionary.TryGetTag(keyword, out var tag))
                mandatory.Add(tag);
            else
                y.Error(y.Child(node, "mandatoryAttributes")!, id, $"'{keyword}' is not a DICOM keyword");

        return new AcquisitionRequirement(id, Texts(y, node, "visits", id), modality,
            RangeOf(y, node, "sliceThickness", id), RangeOf(y, node, "kvp", id), RangeOf(y, node, "pixelSpacing", id),
            (int?)Number(y, node, "matrixMin", id), Texts(y, node, "bodyParts", id), Number(y, node, "coverageMinMm", id),
            contrast is not null && y.Text(contrast, "required", id, required: false) == "true", contrastSeries,
            contrast is null ? new Range(null, null) : RangeOf(y, contrast, "delaySeconds", id), required, mandatory);
    }

    private static Range RangeOf(YamlReader y, YamlMappingNode node, string key, string id)
    {
        if (y.Child(node, key) is not { } child)
            return new Range(null, null);
        if (child is not YamlMappingNode range)
        {
            y.Error(child, id, $"'{key}' must be {{ min: …, max: … }}");
            return new Range(null, null);
        }
        y.OnlyKeys(range, id, "min", "max");
        var result = new Range(Number(y, range, "min", id), Number(y, range, "max", id));
        if (result is { Min: { } min, Max: { } max } && min > max)
            y.Error(range, id, $"'{key}': min {min} is above max {max}");
        return result;
    }

    private static double? Number(YamlReader y, YamlMappingNode node, string key, string id)
    {
        var text = y.Text(node, key, id, required: false);
        if (text is null)
            return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return value;
        y.Error(y.Child(node, key)!, id, $"'{key}' must be a number, got '{text}'");
        return null;
    }

    private static IReadOnlyList<string> Texts(YamlReader y, YamlMappingNode node, string key, string? id)
    {
        switch (y.Child(node, key))
        {
            case null:
                return [];
            case YamlSequenceNode list:
                return list.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToArray();
            case var other:
                y.Error(other, id, $"'{key}' must be a list");
                return [];
        }
    }
}
