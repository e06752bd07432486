using System.Reflection;

namespace TrialFlow.Workflows.Activities;

/// <summary>
/// The closed set of activity types a definition may use: every <see cref="ActivityAttribute"/> class of this
/// assembly. A definition's <c>type</c> is looked up here and nowhere else, so JSON never names a CLR type.
/// Adding an activity is adding one class.
/// </summary>
public sealed class ActivityCatalog
{
    private readonly Dictionary<string, ActivityDescriptor> _byType;

    public ActivityCatalog(IEnumerable<Type> activityTypes)
    {
        _byType = activityTypes.Select(ActivityDescriptor.From).ToDictionary(d => d.Type, StringComparer.Ordinal);
    }

    /// <summary>The catalog of everything TrialFlow ships.</summary>
    public static ActivityCatalog Default { get; } = new(typeof(ActivityCatalog).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Activity).IsAssignableFrom(t) && t.GetCustomAttribute<ActivityAttribute>() is not null));

    public IReadOnlyCollection<ActivityDescriptor> Descriptors => _byType.Values;

    public ActivityDescriptor? Find(string type) => _byType.GetValueOrDefault(type);

    public ActivityDescriptor Get(string type) => Find(type) ?? throw new KeyNotFoundException($"'{type}' is not an activity of the catalog.");
}
