namespace TrialFlow.Activation.Domain;

/// <summary>
/// The activation checklists in <c>templates/activation/</c>, read once at start: a trial's own
/// (<c>&lt;protocol id, lower case&gt;.yaml</c>, e.g. <c>tf-onc-301.yaml</c>) or else <c>default.yaml</c>.
/// </summary>
public sealed class ChecklistCatalog
{
    private const string Default = "default";
    private readonly Dictionary<string, ChecklistTemplate> _byName;

    private ChecklistCatalog(Dictionary<string, ChecklistTemplate> byName) => _byName = byName;

    public static ChecklistCatalog FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"The activation checklists folder {directory} does not exist (TrialFlow:Activation:Checklists).");
        var byName = Directory.EnumerateFiles(directory, "*.yaml")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f).ToLowerInvariant(), ChecklistLoader.Load, StringComparer.Ordinal);
        if (!byName.ContainsKey(Default))
            throw new FileNotFoundException($"The activation checklists folder {directory} has no default.yaml, the checklist of trials without their own.");
        return new ChecklistCatalog(byName);
    }

    public ChecklistTemplate For(string protocolId) =>
        _byName.TryGetValue(protocolId.ToLowerInvariant(), out var own) ? own : _byName[Default];

    /// <summary>The checklist a trial names (one created from a template), else the one named by its protocol id, else the default.</summary>
    public ChecklistTemplate For(Core.Trials.Trial trial) =>
        trial.ActivationChecklist is { } name && _byName.TryGetValue(name.ToLowerInvariant(), out var chosen) ? chosen : For(trial.ProtocolId);

    public bool Has(string name) => _byName.ContainsKey(name.ToLowerInvariant());

    public IReadOnlyCollection<string> Names => _byName.Keys.Order(StringComparer.Ordinal).ToList();
}
