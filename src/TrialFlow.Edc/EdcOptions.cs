using Microsoft.Extensions.Configuration;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Edc;

public enum EdcExportMode
{
    /// <summary>No export configured: ExportToEdc steps fail into incidents saying so.</summary>
    None,
    /// <summary>ODM files written into a folder the EDC (or its integration engine) picks up.</summary>
    FileDrop,
    /// <summary>ODM posted to the EDC's import endpoint.</summary>
    Http,
}

/// <summary>
/// From <c>TrialFlow:Edc</c>: <c>MappingDirectory</c> (one <c>{protocol id in lower case}.json</c> per trial, default
/// <c>templates/edc</c> beside the binary) and <c>Export:Mode</c> (None, FileDrop, Http) with <c>Export:Folder</c> or
/// <c>Export:Endpoint</c> and an optional <c>Export:BearerToken</c>. A relative <c>Export:Folder</c> lies under the
/// data directory (<c>TrialFlow:DataDirectory</c>), beside the database it reports from.
/// </summary>
public sealed record EdcOptions
{
    public required string MappingDirectory { get; init; }

    public EdcExportMode ExportMode { get; init; }

    public string? ExportFolder { get; init; }

    public Uri? ExportEndpoint { get; init; }

    public string? ExportBearerToken { get; init; }

    public static EdcOptions FromConfiguration(IConfiguration configuration, string baseDirectory)
    {
        var section = configuration.GetSection("TrialFlow:Edc");
        var mappings = section["MappingDirectory"] is { Length: > 0 } m ? m : Path.Combine("templates", "edc");
        var mode = section["Export:Mode"] is { Length: > 0 } text
            ? Enum.TryParse<EdcExportMode>(text, ignoreCase: true, out var parsed) ? parsed
                : throw new InvalidOperationException($"TrialFlow:Edc:Export:Mode is '{text}'; use None, FileDrop or Http.")
            : EdcExportMode.None;
        var options = new EdcOptions
        {
            MappingDirectory = Path.IsPathRooted(mappings) ? mappings : Path.Combine(baseDirectory, mappings),
            ExportMode = mode,
            ExportFolder = section["Export:Folder"] is { Length: > 0 } folder
                ? Path.IsPathRooted(folder) ? folder : Path.Combine(DatabaseOptions.FromConfiguration(configuration).DataDirectory, folder)
                : null,
            ExportEndpoint = section["Export:Endpoint"] is { Length: > 0 } url ? new Uri(url, UriKind.Absolute) : null,
            ExportBearerToken = section["Export:BearerToken"],
        };
        if (mode == EdcExportMode.FileDrop && string.IsNullOrWhiteSpace(options.ExportFolder))
            throw new InvalidOperationException("TrialFlow:Edc:Export:Mode is FileDrop but TrialFlow:Edc:Export:Folder is not set.");
        if (mode == EdcExportMode.Http && options.ExportEndpoint is null)
            throw new InvalidOperationException("TrialFlow:Edc:Export:Mode is Http but TrialFlow:Edc:Export:Endpoint is not set.");
        return options;
    }
}

/// <summary>The OID mappings of the installation's trials, by protocol id.</summary>
public sealed class EdcMappings(EdcOptions options)
{
    private readonly Dictionary<string, EdcMapping> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>The mapping of <paramref name="protocolId"/>; a missing file is an error that names the path expected.</summary>
    public EdcMapping ForProtocol(string protocolId)
    {
        lock (_gate)
        {
            if (_loaded.TryGetValue(protocolId, out var mapping))
                return mapping;
            var path = Path.Combine(options.MappingDirectory, $"{protocolId.ToLowerInvariant()}.json");
            if (!File.Exists(path))
                throw new EdcMappingException(path, $"there is no EDC mapping for trial {protocolId}; create {path} (see templates/edc).");
            return _loaded[protocolId] = EdcMapping.Load(path);
        }
    }
}
