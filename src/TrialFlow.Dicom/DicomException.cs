namespace TrialFlow.Dicom;

/// <summary>Base of every error raised by the DICOM toolkit.</summary>
public abstract class DicomException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The input is not a readable DICOM stream: says what was wrong, at which byte offset and (when known) in which tag.
/// </summary>
public sealed class DicomParseException : DicomException
{
    public DicomParseException(string reason, long offset, DicomTag? tag, Exception? inner = null)
        : base(Format(reason, offset, tag), inner)
    {
        Reason = reason;
        Offset = offset;
        Tag = tag;
    }

    /// <summary>What was wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>Byte offset in the input (from the start of the file or stream) where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>The element being read, when known.</summary>
    public DicomTag? Tag { get; }

    private static string Format(string reason, long offset, DicomTag? tag) =>
        tag is { } t ? $"{reason} at byte offset {offset} in tag {t}" : $"{reason} at byte offset {offset}";
}

/// <summary>A value cannot be converted to the type asked for, or the element is missing.</summary>
public sealed class DicomValueException(string message, DicomTag tag, Exception? inner = null) : DicomException(message, inner)
{
    public DicomTag Tag { get; } = tag;
}
