using System.Reflection;
using System.Text.Json;

namespace TrialFlow.Workflows.Activities;

/// <summary>What the designer, validator and compiler know of an activity type: read once from its attributes.</summary>
public sealed record ActivityDescriptor(
    string Type,
    string Category,
    string Description,
    bool IsTrigger,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<InputDescriptor> Inputs,
    Type ClrType,
    bool Waits = false)
{
    /// <summary>Declared outcomes plus the implicit <c>error</c>: every port a connection may leave from.</summary>
    public IReadOnlyList<string> Ports { get; } = [.. Outcomes, ActivityOutcomes.Error];

    public InputDescriptor? FindInput(string name) => Inputs.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));

    internal static ActivityDescriptor From(Type type)
    {
        var activity = type.GetCustomAttribute<ActivityAttribute>()
            ?? throw new ArgumentException($"{type.Name} has no [Activity] attribute.", nameof(type));
        var inputs = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<InputAttribute>() is not null)
            .Select(InputDescriptor.From)
            .ToList();
        return new ActivityDescriptor(activity.Type ?? type.Name, activity.Category, activity.Description, activity.IsTrigger,
            activity.Outcomes, inputs, type, activity.Waits);
    }
}

/// <summary>An input: camelCase name as in JSON, its kind (the editor), default and the property it binds to.</summary>
public sealed record InputDescriptor(
    string Name,
    string Description,
    InputKind Kind,
    bool Required,
    JsonElement? Default,
    bool PreferJavaScript,
    IReadOnlyList<string> Choices,
    PropertyInfo Property)
{
    internal static InputDescriptor From(PropertyInfo property)
    {
        var input = property.GetCustomAttribute<InputAttribute>()!;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var kind = type == typeof(string) ? InputKind.Text
            : type == typeof(bool) ? InputKind.Boolean
            : type == typeof(int) || type == typeof(double) ? InputKind.Number
            : type == typeof(TimeSpan) ? InputKind.Duration
            : type.IsEnum ? InputKind.Choice
            : throw new NotSupportedException($"Input {property.DeclaringType!.Name}.{property.Name} has type {type.Name}; inputs are text, boolean, number, duration or an enum.");
        var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
        JsonElement? @default = input.Default is null ? null : JsonDocument.Parse(input.Default).RootElement.Clone();
        return new InputDescriptor(name, input.Description, kind, input.Required, @default, input.PreferJavaScript,
            type.IsEnum ? Enum.GetNames(type) : [], property);
    }
}

public enum InputKind
{
    Text,
    Boolean,
    Number,
    Duration,
    Choice,
}
