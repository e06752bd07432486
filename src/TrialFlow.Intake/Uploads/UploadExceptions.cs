namespace TrialFlow.Intake.Uploads;

/// <summary>An upload request the chunk store cannot accept; the message says what to send instead.</summary>
public abstract class UploadException(string fileId, string message) : Exception(message)
{
    public string FileId { get; } = fileId;
}

/// <summary>The file id cannot name a file of an upload: it must be 1-64 letters, digits, '-' or '_'.</summary>
public sealed class InvalidFileIdException(string fileId)
    : UploadException(fileId, $"'{(fileId.Length > 80 ? fileId[..80] + "…" : fileId)}' is not a valid file id: use 1-64 letters, digits, '-' or '_'");

/// <summary>
/// A chunk that contradicts itself (its body is not the length its Content-Range declares, or the range lies outside
/// the file) or its file (it declares another total than the file's first chunk). Nothing of it was kept.
/// </summary>
public sealed class ChunkRefusedException(string fileId, string problem) : UploadException(fileId, $"file {fileId}: {problem}");

/// <summary>A file declared larger than intake accepts. Nothing of it was kept.</summary>
public sealed class UploadTooLargeException(string fileId, long declared, long limit)
    : UploadException(fileId, $"file {fileId} is {declared:N0} bytes; at most {limit:N0} bytes per file")
{
    public long Declared { get; } = declared;

    public long Limit { get; } = limit;
}

/// <summary>
/// A chunk or a completion that does not fit what the server has: a chunk at another offset than the bytes received,
/// or a completion whose size or hash does not match them. <see cref="Received"/> says where to resume.
/// </summary>
public sealed class UploadChunkException(string fileId, long received, string message) : UploadException(fileId, message)
{
    public long Received { get; } = received;
}
