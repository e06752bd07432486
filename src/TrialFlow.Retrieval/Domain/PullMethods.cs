using TrialFlow.Retrieval.Jobs;

namespace TrialFlow.Retrieval.Domain;

public static class PullMethods
{
    /// <summary>Reads move, get or dicomweb (the CLI's and the API's words); null or empty is move, as most PACS route C-MOVE.</summary>
    public static PullMethod Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "move" or "c-move" => PullMethod.Move,
        "get" or "c-get" => PullMethod.Get,
        "dicomweb" or "wado" or "wado-rs" => PullMethod.DicomWeb,
        _ => throw new PullRequestException("method", $"\"{text}\" is not a pull method: move, get or dicomweb"),
    };
}
