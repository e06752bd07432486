using TrialFlow.Retrieval.Domain;

namespace TrialFlow.Retrieval.Pacs;

/// <summary>
/// Where a pull reaches the site's PACS: by DIMSE (its AE title, host and port; <see cref="OurAeTitle"/> is the calling AE
/// title and C-MOVE destination the PACS knows TrialFlow by) and/or by DICOMweb (its service root).
/// </summary>
public sealed record PacsEndpoint(string? AeTitle, string? Host, int? Port, string OurAeTitle, string? DicomWebUrl)
{
    public const string DefaultOurAeTitle = "TRIALFLOW";

    public string Describe(PullMethod method) => method == PullMethod.DicomWeb ? DicomWebUrl ?? "(no DICOMweb)" : $"{AeTitle}@{Host}:{Port}";

    /// <summary>Why this endpoint cannot serve <paramref name="method"/>, or null.</summary>
    public string? ProblemFor(PullMethod method) => method switch
    {
        PullMethod.DicomWeb when DicomWebUrl is null => "a DICOMweb pull needs the PACS's DICOMweb URL",
        PullMethod.Move or PullMethod.Get when AeTitle is null || Host is null || Port is null =>
            $"a {(method == PullMethod.Move ? "C-MOVE" : "C-GET")} pull needs the PACS's AE title, host and port",
        _ => null,
    };

    /// <summary>Reads <c>AE@HOST:PORT</c> (as <c>trialflow pull --pacs</c> takes it).</summary>
    /// <exception cref="FormatException">The text names what is wrong.</exception>
    public static PacsEndpoint ParseDimse(string text, string ourAeTitle)
    {
        var at = text.IndexOf('@');
        var colon = text.LastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == text.Length - 1)
            throw new FormatException($"\"{text}\" is not AE@HOST:PORT (for example ORTHANC@pacs.hospital.example:104)");
        var (ae, host) = (text[..at], text[(at + 1)..colon]);
        if (!int.TryParse(text[(colon + 1)..], out var port))
            throw new FormatException($"\"{text[(colon + 1)..]}\" in \"{text}\" is not a port number");
        var problems = Problems(ae, host, port, ourAeTitle, null).ToList();
        return problems.Count == 0 ? new PacsEndpoint(ae, host, port, ourAeTitle, null) : throw new FormatException(string.Join("; ", problems.Select(p => p.Message)));
    }

    /// <summary>Every problem of the given values, each with the field it concerns.</summary>
    public static IEnumerable<(string Field, string Message)> Problems(string? aeTitle, string? host, int? port, string ourAeTitle, string? dicomWebUrl)
    {
        var dimse = new[] { aeTitle is not null, host is not null, port is not null };
        if (dimse.Any(x => x) && !dimse.All(x => x))
            yield return ("aeTitle", "the PACS's AE title, host and port go together: give all three or none");
        if (aeTitle is not null && AeTitleProblem(aeTitle) is { } ae)
            yield return ("aeTitle", $"the PACS's AE title {ae}");
        if (AeTitleProblem(ourAeTitle) is { } ours)
            yield return ("ourAeTitle", $"TrialFlow's AE title at this PACS {ours}");
        if (host is not null && (host.Length > 255 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
            yield return ("host", $"\"{host}\" is not a host name or address");
        if (port is < 1 or > 65535)
            yield return ("port", $"{port} is not a TCP port (1 to 65535)");
        if (dicomWebUrl is not null && (!Uri.TryCreate(dicomWebUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
            yield return ("dicomWebUrl", $"\"{dicomWebUrl}\" is not an http(s) URL");
    }

    /// <summary>A DICOMweb service root always ending in '/', so relative paths resolve under it.</summary>
    public static string? NormalizeUrl(string? url) => string.IsNullOrWhiteSpace(url) ? null : url.Trim().EndsWith('/') ? url.Trim() : url.Trim() + "/";

    private static string? AeTitleProblem(string title) =>
        title.Length is 0 or > 16 ? $"\"{title}\" must be 1 to 16 characters"
        : title.Any(c => c is '\\' || char.IsControl(c) || c > 0x7E) ? $"\"{title}\" may hold only printable ASCII without backslash"
        : title.Trim().Length != title.Length ? $"\"{title}\" has leading or trailing spaces"
        : null;
}
