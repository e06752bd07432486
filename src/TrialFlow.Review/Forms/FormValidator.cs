using System.Globalization;
using System.Text.RegularExpressions;

namespace TrialFlow.Review.Forms;

/// <summary>One thing wrong with a form, at a path such as <c>targetLesions[2].diameterMm</c>.</summary>
public sealed record FormError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Checks form data against its template: types, required fields, ranges, options, group sizes and per-value limits.</summary>
public static class FormValidator
{
    public static IReadOnlyList<FormError> Validate(FormTemplate template, FormData data)
    {
        var errors = new List<FormError>();
        foreach (var key in data.Fields.Keys.Where(k => template.Fields.All(f => f.Key != k)))
            errors.Add(new(key, "is not a field of this form."));
        CheckRow(template, template.Fields, data.Fields, "", errors);

        foreach (var key in data.Groups.Keys.Where(k => template.Groups.All(g => g.Key != k)))
            errors.Add(new(key, "is not a group of this form."));
        foreach (var group in template.Groups)
        {
            var rows = data.Rows(group.Key);
            if (rows.Count < group.MinItems)
                errors.Add(new(group.Key, $"needs at least {group.MinItems} entries; has {rows.Count}."));
            if (rows.Count > group.MaxItems)
                errors.Add(new(group.Key, $"allows at most {group.MaxItems} entries; has {rows.Count}."));
            for (var i = 0; i < rows.Count; i++)
            {
                foreach (var key in rows[i].Keys.Where(k => group.Fields.All(f => f.Key != k)))
                    errors.Add(new($"{group.Key}[{i + 1}].{key}", "is not a field of this group."));
                CheckRow(template, group.Fields, rows[i], $"{group.Key}[{i + 1}].", errors);
            }
            if (group.MaxPerValue is { } limit)
                foreach (var crowded in rows.Select(r => r.TryGetValue(limit.Field, out var v) ? v?.Trim() : null).OfType<string>()
                             .GroupBy(v => v, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > limit.Max))
                    errors.Add(new(group.Key, $"{crowded.Count()} entries with {limit.Field} '{crowded.Key}'; at most {limit.Max} allowed."));
        }
        return errors;
    }

    private static void CheckRow(FormTemplate template, IReadOnlyList<FormField> fields, IReadOnlyDictionary<string, string?> values, string prefix, List<FormError> errors)
    {
        foreach (var field in fields)
        {
            var path = prefix + field.Key;
            var value = values.TryGetValue(field.Key, out var raw) && !string.IsNullOrWhiteSpace(raw) ? raw.Trim() : null;
            var required = field.Required || (field.RequiredWhen is { } when && values.TryGetValue(when.Field, out var other) && string.Equals(other?.Trim(), when.Value, StringComparison.Ordinal));
            if (value is null)
            {
                if (required)
                    errors.Add(new(path, field.RequiredWhen is { } w && !field.Required ? $"is required when {w.Field} is {w.Value}." : "is required."));
                continue;
            }
            if (CheckValue(template, field, value) is { } message)
                errors.Add(new(path, message));
        }
    }

    private static string? CheckValue(FormTemplate template, FormField field, string value)
    {
        switch (field.Type)
        {
            case FormFieldType.Number:
                if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    return $"'{value}' is not a number (use a dot for decimals).";
                if (field.Min is { } min && number < min)
                    return $"{value} is below the minimum {min}.";
                if (field.Max is { } max && number > max)
                    return $"{value} is above the maximum {max}.";
                if (field.Decimals is { } decimals && decimal.Round(number, decimals) != number)
                    return $"{value} has more than {decimals} decimal place(s).";
                return null;
            case FormFieldType.Date:
                return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : $"'{value}' is not a date (yyyy-MM-dd).";
            case FormFieldType.Boolean:
                return value is "true" or "false" ? null : $"'{value}' is not true or false.";
            case FormFieldType.Choice:
                var options = template.OptionsOf(field);
                return options.Contains(value, StringComparer.Ordinal) ? null : $"'{value}' is not one of {string.Join(", ", options)}.";
            default:
                if (field.MaxLength is { } length && value.Length > length)
                    return $"is {value.Length} characters long; at most {length} allowed.";
                if (field.Pattern is { } pattern && !Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)))
                    return $"'{value}' does not match the expected form {pattern}.";
                return null;
        }
    }
}
