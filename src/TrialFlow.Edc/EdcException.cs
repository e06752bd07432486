namespace TrialFlow.Edc;

/// <summary>Base of the EDC exchange's refusals; each says what was wrong and where.</summary>
public abstract class EdcException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The OID mapping file is unusable; nothing was imported or exported with it.</summary>
public sealed class EdcMappingException(string source, string problem)
    : EdcException($"EDC mapping {source}: {problem}")
{
    public string MappingFile { get; } = source;
}

/// <summary>An import file could not be read at all (not ODM, not the expected CSV columns); nothing was changed.</summary>
public sealed class EdcFileException(string source, int? line, string problem)
    : EdcException($"{source}{(line is { } l ? $" line {l}" : "")}: {problem} Nothing was imported.")
{
    public string FileName { get; } = source;

    public int? Line { get; } = line;
}

/// <summary>The EDC endpoint or drop folder did not accept an export; the export is retried and then becomes an incident.</summary>
public sealed class EdcDeliveryException(string target, string problem, Exception? inner = null)
    : EdcException($"Export to the EDC at {target} failed: {problem}", inner)
{
    public string Target { get; } = target;
}
