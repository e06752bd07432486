using System.Collections.Frozen;
using System.Reflection;

namespace TrialFlow.Qc.Facts;

/// <summary>How a field's values compare: the operators a rule may use depend on it.</summary>
public enum FieldKind
{
    Number,
    Text,
    Boolean,
    TextList,
}

/// <summary>A field a rule may name: <c>alias.Field</c>.</summary>
public sealed record FactField(string Name, PropertyInfo Property, FieldKind Kind)
{
    public Type ClrType => Property.PropertyType;
}

/// <summary>A fact type a rule may match, by its YAML name (Study, Series, ...).</summary>
public sealed record FactType(string Name, Type ClrType, string Description, FrozenDictionary<string, FactField> Fields);

/// <summary>
/// The closed list of fact types and fields rulesets are compiled against. Nothing outside it is reachable from
/// a rule: no member access by name at run time, no types from the ruleset.
/// </summary>
public static class FactCatalog
{
    public static IReadOnlyList<FactType> Types { get; } =
    [
        Describe<StudyFact>("Study", "the study under QC"),
        Describe<SeriesFact>("Series", "each series of the study"),
        Describe<InstanceFact>("Instance", "each image of the study"),
        Describe<MissingAttributeFact>("MissingAttribute", "a mandatory attribute absent from images of a series"),
        Describe<VisitFact>("Visit", "the visit the study was matched to"),
        Describe<SiteFact>("Site", "the site that sent the study"),
        Describe<ProtocolFact>("Protocol", "each acquisition requirement that applies at the visit"),
        Describe<RequiredSeriesFact>("RequiredSeries", "each series the protocol requires at the visit"),
    ];

    private static readonly FrozenDictionary<string, FactType> ByName = Types.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, out FactType type) => ByName.TryGetValue(name, out type!);

    private static FactType Describe<T>(string name, string description) =>
        new(name, typeof(T), description, typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToFrozenDictionary(p => p.Name, p => new FactField(p.Name, p, KindOf(p)), StringComparer.Ordinal));

    private static FieldKind KindOf(PropertyInfo p)
    {
        var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        if (type == typeof(double) || type == typeof(int)) return FieldKind.Number;
        if (type == typeof(string)) return FieldKind.Text;
        if (type == typeof(bool)) return FieldKind.Boolean;
        if (type == typeof(IReadOnlyList<string>)) return FieldKind.TextList;
        throw new InvalidOperationException($"{typeof(FactCatalog).Name}: field {p.DeclaringType!.Name}.{p.Name} has a type rules cannot compare.");
    }
}
