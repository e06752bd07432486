namespace TrialFlow.Qc.Protocols;

/// <summary>
/// The protocol requirements of every trial, loaded from <c>templates/protocols/*.yaml</c> at start-up; a file
/// that does not load stops the host with file, line and reason. Keyed by the trial's protocol id.
/// </summary>
public sealed class ProtocolCatalog
{
    private readonly Dictionary<string, ProtocolRequirements> _byTrial;

    public ProtocolCatalog(IEnumerable<ProtocolRequirements> protocols)
    {
        _byTrial = new Dictionary<string, ProtocolRequirements>(StringComparer.OrdinalIgnoreCase);
        foreach (var protocol in protocols)
            if (!_byTrial.TryAdd(protocol.TrialProtocolId, protocol))
                throw new InvalidOperationException($"Two protocol files are for trial {protocol.TrialProtocolId}: {_byTrial[protocol.TrialProtocolId].Name} and {protocol.Name}.");
    }

    public static ProtocolCatalog FromDirectory(string directory) =>
        new(Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal).Select(ProtocolLoader.Load)
            : []);

    public IReadOnlyCollection<ProtocolRequirements> All => _byTrial.Values;

    /// <summary>The protocol of a trial, or none: then only rules that need no Protocol facts can fire.</summary>
    public ProtocolRequirements? For(string trialProtocolId) => _byTrial.GetValueOrDefault(trialProtocolId);

    /// <summary>The requirements a trial names (one created from a template), else those whose file names its protocol id.</summary>
    public ProtocolRequirements? For(Core.Trials.Trial trial) =>
        trial.ProtocolRequirements is { } name ? Named(name) : For(trial.ProtocolId);

    /// <summary>The requirements whose file declares <paramref name="name"/> (its <c>protocol:</c>), or none.</summary>
    public ProtocolRequirements? Named(string name) => _byTrial.Values.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
