using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFlow.Review.Forms;

/// <summary>
/// A reader form as <c>templates/forms/*.json</c> describes it: fields, repeatable groups and computed fields. The
/// computed values come from the template's <see cref="Calculator"/>, never from the reader.
/// </summary>
public sealed record FormTemplate(
    string TemplateId,
    int Version,
    string Title,
    string? Description,
    string? Calculator,
    IReadOnlyList<FormField> Fields,
    IReadOnlyList<FormGroup> Groups,
    IReadOnlyList<ComputedField> Computed,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? OptionLists = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The options of a choice field, inline or from the template's named lists.</summary>
    public IReadOnlyList<string> OptionsOf(FormField field) =>
        field.Options ?? (field.OptionsRef is { } name && OptionLists is not null && OptionLists.TryGetValue(name, out var list) ? list : []);

    public static FormTemplate Parse(string json, string source)
    {
        FormTemplate? template;
        try
        {
            template = JsonSerializer.Deserialize<FormTemplate>(json, Json);
        }
        catch (JsonException e)
        {
            throw new FormTemplateException(source, $"line {e.LineNumber + 1}: {e.Message}");
        }
        if (template is null || string.IsNullOrWhiteSpace(template.TemplateId))
            throw new FormTemplateException(source, "templateId is required.");
        foreach (var field in template.Fields.Concat(template.Groups.SelectMany(g => g.Fields)))
            if (field.Type == FormFieldType.Choice && template.OptionsOf(field).Count == 0)
                throw new FormTemplateException(source, $"choice field '{field.Key}' has no options (options, or optionsRef naming an optionLists entry).");
        foreach (var group in template.Groups)
            if (group.MaxPerValue is { } per && group.Fields.All(f => f.Key != per.Field))
                throw new FormTemplateException(source, $"group '{group.Key}': maxPerValue names '{per.Field}', which is not one of its fields.");
        return template;
    }

    public static FormTemplate Load(string path) => Parse(File.ReadAllText(path), path);
}

public enum FormFieldType
{
    Text,
    Number,
    Date,
    Choice,
    Boolean,
}

/// <param name="RequiredWhen">Required only when another field of the same group (or form) has a value.</param>
/// <param name="Measurement">A length measured in the viewer can be dropped into this field.</param>
public sealed record FormField(
    string Key,
    string Label,
    FormFieldType Type,
    bool Required = false,
    decimal? Min = null,
    decimal? Max = null,
    int? Decimals = null,
    int? MaxLength = null,
    string? Pattern = null,
    IReadOnlyList<string>? Options = null,
    string? OptionsRef = null,
    FieldCondition? RequiredWhen = null,
    bool Measurement = false);

public sealed record FieldCondition(string Field, [property: JsonPropertyName("equals")] string Value);

/// <param name="MaxPerValue">At most <c>Max</c> entries share one value of <c>Field</c> (RECIST: two target lesions per organ).</param>
public sealed record FormGroup(string Key, string Label, int MinItems, int MaxItems, IReadOnlyList<FormField> Fields, PerValueLimit? MaxPerValue = null);

public sealed record PerValueLimit(string Field, int Max);

public sealed record ComputedField(string Key, string Label, FormFieldType Type);

/// <summary>A form template file that cannot be used; the message names the file and what is wrong.</summary>
public sealed class FormTemplateException(string source, string message) : Exception($"{source}: {message}")
{
    public string TemplateSource { get; } = source;
}
